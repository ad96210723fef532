"use strict";
// entgraph's page: draws the graph laid out by Graphviz and answers questions about it. Offline it
// uses only the data embedded in the page; served by `entgraph serve` (data.api) it also asks the
// JSON API, which answers from the whole graph.
(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const kid of kids) if (kid != null) e.append(kid);
    return e;
  };
  const svgEl = (tag, attrs) => {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  };
  const fmt = (n) => Number(n).toLocaleString("en-US");
  const plural = (n, one, many) => fmt(n) + " " + (n === 1 ? one : many || one + "s");

  let data = JSON.parse($("graph-data").textContent);
  const api = !!data.api;
  // Per view: adjacency, node index by id, search names.
  let adj = [], byId = new Map(), names = [], nodeEls = [], edgeEls = [];
  const view = { x: 0, y: 0, k: 1 };
  const state = { selected: null, paths: null };

  // ---------- drawing ----------
  const colorOf = (n) => {
    if ($("color-by").value === "community" && n.community != null) {
      const h = (Number(n.community) * 137.508) % 360;
      return "hsl(" + h.toFixed(1) + ", 62%, 74%)";
    }
    return data.types[n.t].color;
  };
  const measures = ["npmi", "dice", "llr"];
  const widthOf = (e) => {
    const by = $("width-by").value;
    if (by !== "weight" && e[by] != null) {
      const v = Number(e[by]);
      const top = Math.max(...data.edges.map((x) => Math.abs(Number(x[by]) || 0)), 1e-9);
      return 1 + 5 * Math.max(0, v) / top;
    }
    return 1 + Math.log2(Math.max(1, e.weight));
  };

  function shapePath(shape, x, y, w, h) {
    const l = x - w / 2, r = x + w / 2, t = y - h / 2, b = y + h / 2;
    const pts = (a) => svgEl("polygon", { points: a.map((p) => p[0].toFixed(1) + "," + p[1].toFixed(1)).join(" ") });
    switch (shape) {
      case "ellipse": return svgEl("ellipse", { cx: x, cy: y, rx: w / 2, ry: h / 2 });
      case "box": return svgEl("rect", { x: l, y: t, width: w, height: h });
      case "house": return pts([[x, t], [r, y - h * 0.1], [r, b], [l, b], [l, y - h * 0.1]]);
      case "hexagon": return pts([[l, y], [l + w / 4, t], [r - w / 4, t], [r, y], [r - w / 4, b], [l + w / 4, b]]);
      default: {
        const dx = w * 0.2, dy = h * 0.3;
        return pts([[l + dx, t], [r - dx, t], [r, t + dy], [r, b - dy], [r - dx, b], [l + dx, b], [l, b - dy], [l, t + dy]]);
      }
    }
  }

  function draw() {
    const nodesG = $("nodes"), edgesG = $("edges");
    nodesG.replaceChildren();
    edgesG.replaceChildren();
    edgeEls = data.edges.map((e, i) => {
      const g = svgEl("g", { "data-edge": i });
      const a = data.nodes[e.s], b = data.nodes[e.t];
      const d = "M" + a.x + " " + a.y + "L" + b.x + " " + b.y;
      const line = svgEl("path", { d, class: "edge" });
      line.style.strokeWidth = widthOf(e);
      const hit = svgEl("path", { d, class: "hit" });
      const title = svgEl("title");
      title.textContent = data.nodes[e.s].label + " — " + data.nodes[e.t].label + " (weight " + e.weight + ")";
      hit.append(title);
      g.append(line, hit);
      g.addEventListener("click", (ev) => { ev.stopPropagation(); selectEdge(i); });
      edgesG.append(g);
      return { g, line };
    });
    nodeEls = data.nodes.map((n, i) => {
      const g = svgEl("g", { class: "node", tabindex: "0", role: "button", "data-node": i,
        "aria-label": n.label + ", " + data.types[n.t].name });
      const s = shapePath(data.types[n.t].shape, n.x, n.y, n.w, n.h);
      s.setAttribute("class", "shape");
      s.setAttribute("fill", colorOf(n));
      const text = svgEl("text", { x: n.x, y: n.y });
      text.textContent = n.label;
      g.append(s, text);
      g.addEventListener("click", (ev) => { ev.stopPropagation(); selectNode(i, false); });
      g.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); selectNode(i, false); }
      });
      nodesG.append(g);
      return { g, shape: s };
    });
    applyFilters();
    fit();
  }

  function recolor() {
    data.nodes.forEach((n, i) => nodeEls[i].shape.setAttribute("fill", colorOf(n)));
    data.edges.forEach((e, i) => { edgeEls[i].line.style.strokeWidth = widthOf(e); });
  }

  // ---------- pan and zoom ----------
  const canvas = $("canvas");
  function applyView() {
    $("viewport").setAttribute("transform", "translate(" + view.x + " " + view.y + ") scale(" + view.k + ")");
  }
  function fit() {
    const r = canvas.getBoundingClientRect();
    const w = Math.max(data.width, 1), h = Math.max(data.height, 1);
    const pad = 24;
    view.k = Math.min((r.width - 2 * pad) / w, (r.height - 2 * pad - 40) / h, 2);
    if (!(view.k > 0)) view.k = 1;
    view.x = (r.width - w * view.k) / 2;
    view.y = (r.height - 40 - h * view.k) / 2;
    applyView();
  }
  function zoomAt(factor, cx, cy) {
    const k = Math.min(Math.max(view.k * factor, 0.02), 12);
    view.x = cx - (cx - view.x) * (k / view.k);
    view.y = cy - (cy - view.y) * (k / view.k);
    view.k = k;
    applyView();
  }
  function centerOn(n) {
    const r = canvas.getBoundingClientRect();
    if (view.k < 0.8) view.k = 1;
    view.x = r.width / 2 - n.x * view.k;
    view.y = r.height / 2 - n.y * view.k;
    applyView();
  }
  canvas.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const r = canvas.getBoundingClientRect();
    zoomAt(Math.exp(-ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });
  let drag = null;
  canvas.addEventListener("pointerdown", (ev) => {
    if (ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y, moved: false };
  });
  window.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    drag.moved = true;
    canvas.classList.add("dragging");
    view.x = drag.vx + dx;
    view.y = drag.vy + dy;
    applyView();
  });
  window.addEventListener("pointerup", () => {
    if (drag && drag.moved) {
      // The click that ends a drag selects nothing.
      window.addEventListener("click", (e) => e.stopPropagation(), { capture: true, once: true });
    }
    drag = null;
    canvas.classList.remove("dragging");
  });
  canvas.addEventListener("click", () => clearFocus());
  canvas.addEventListener("keydown", (ev) => {
    const r = canvas.getBoundingClientRect();
    const step = 60;
    const keys = {
      "+": () => zoomAt(1.25, r.width / 2, r.height / 2), "=": () => zoomAt(1.25, r.width / 2, r.height / 2),
      "-": () => zoomAt(0.8, r.width / 2, r.height / 2), "0": fit,
      ArrowLeft: () => { view.x += step; applyView(); }, ArrowRight: () => { view.x -= step; applyView(); },
      ArrowUp: () => { view.y += step; applyView(); }, ArrowDown: () => { view.y -= step; applyView(); },
    };
    if (keys[ev.key]) { ev.preventDefault(); keys[ev.key](); }
  });
  $("zoom-in").addEventListener("click", () => { const r = canvas.getBoundingClientRect(); zoomAt(1.25, r.width / 2, r.height / 2); });
  $("zoom-out").addEventListener("click", () => { const r = canvas.getBoundingClientRect(); zoomAt(0.8, r.width / 2, r.height / 2); });
  $("zoom-fit").addEventListener("click", fit);
  window.addEventListener("resize", fit);

  // ---------- filters ----------
  function buildFilters() {
    const box = $("types");
    box.querySelectorAll("label").forEach((l) => l.remove());
    data.types.forEach((t, i) => {
      const input = el("input", { type: "checkbox", "data-type": i });
      input.checked = true;
      input.addEventListener("change", applyFilters);
      const sw = el("span", { class: "swatch", "aria-hidden": "true" });
      sw.style.background = t.color;
      const count = data.nodes.filter((n) => n.t === i).length;
      box.append(el("label", {}, input, sw, t.name + " (" + count + ")"));
    });
    const max = data.edges.reduce((m, e) => Math.max(m, e.weight), 1);
    const range = $("min-weight");
    range.max = String(max);
    range.value = String(Math.min(Number(range.value) || 1, max));
    range.disabled = max <= 1;
    $("min-weight-value").textContent = range.value;
    $("color-row").hidden = !data.nodes.some((n) => n.community != null);
    const sel = $("width-by");
    sel.replaceChildren(el("option", { value: "weight" }, "weight"));
    for (const m of measures) if (data.edges.some((e) => e[m] != null)) sel.append(el("option", { value: m }, m));
    $("width-row").hidden = sel.options.length < 2;
  }
  function applyFilters() {
    const shown = new Set();
    $("types").querySelectorAll("input").forEach((i) => { if (i.checked) shown.add(Number(i.dataset.type)); });
    const min = Number($("min-weight").value) || 1;
    $("min-weight-value").textContent = String(min);
    const visible = data.nodes.map((n) => shown.has(n.t));
    nodeEls.forEach((e, i) => e.g.classList.toggle("hidden", !visible[i]));
    data.edges.forEach((e, i) => edgeEls[i].g.classList.toggle("hidden", !(visible[e.s] && visible[e.t] && e.weight >= min)));
    showCounts();
  }
  $("min-weight").addEventListener("input", applyFilters);
  $("color-by").addEventListener("change", recolor);
  $("width-by").addEventListener("change", recolor);
  $("filters").addEventListener("submit", (ev) => ev.preventDefault());

  function showCounts() {
    const vn = nodeEls.filter((e) => !e.g.classList.contains("hidden")).length;
    const ve = edgeEls.filter((e) => !e.g.classList.contains("hidden")).length;
    const shown = vn === data.nodes.length && ve === data.edges.length ? "" : " (" + fmt(vn) + " and " + fmt(ve) + " shown)";
    $("counts").textContent = plural(data.nodes.length, "entity", "entities") + ", " + plural(data.edges.length, "link") + shown +
      " · " + plural(data.info.documents, "document") + " · window: " + data.info.window;
  }

  // ---------- names and evidence ----------
  const isWord = (c) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
  // Marks whole-word occurrences of the names of a and b in text (longest first at a position, no
  // overlaps), as `entgraph connect` does; returns the pieces and whether both were found.
  function markNames(text, a, b) {
    const spans = [];
    [a, b].forEach((node, which) => {
      if (!node) return;
      for (const name of [node.label, ...(node.aliases || [])]) {
        if (!name) continue;
        let from = 0, at;
        const first = Array.from(name)[0], last = Array.from(name).pop();
        while ((at = text.indexOf(name, from)) !== -1) {
          const end = at + name.length;
          const before = Array.from(text.slice(0, at)).pop();
          const after = Array.from(text.slice(end))[0];
          if (!((isWord(first) && isWord(before)) || (isWord(last) && isWord(after)))) spans.push([at, end, which]);
          from = at + 1;
        }
      }
    });
    spans.sort((x, y) => x[0] - y[0] || y[1] - x[1] || x[2] - y[2]);
    const frag = document.createDocumentFragment();
    let pos = 0;
    const seen = [false, false];
    for (const [s, e, w] of spans) {
      if (s < pos) continue;
      frag.append(text.slice(pos, s), el("mark", { class: w ? "b" : "a" }, text.slice(s, e)));
      pos = e;
      seen[w] = true;
    }
    frag.append(text.slice(pos));
    return { frag, both: seen[0] && seen[1] };
  }
  function evidenceBlock(ev, a, b) {
    const m = markNames(ev.text, a, b);
    return el("blockquote", { class: "ev" }, m.frag, el("cite", {}, ev.doc + (ev.end > ev.start ? " · characters " + fmt(ev.start) + "–" + fmt(ev.end) : "")));
  }
  const evOf = (e) => (e.ev || []).map(([d, start, end, text]) => ({ doc: data.docs[d], start, end, text }));

  // ---------- search ----------
  function buildNames() {
    names = [];
    data.nodes.forEach((n, i) => {
      names.push([n.label.toLowerCase(), i, true]);
      for (const a of n.aliases || []) names.push([a.toLowerCase(), i, false]);
    });
  }
  // Tiers: 0 the label, 1 an alias (whole, ignoring case); 2 the label starts with the query, 3 an
  // alias does; 4 a word of the label does, 5 a word of an alias. Then mentions, then (label, id).
  function tier(name, isLabel, q) {
    if (name === q) return isLabel ? 0 : 1;
    if (name.startsWith(q)) return isLabel ? 2 : 3;
    const words = name.split(/[^\p{L}\p{N}]+/u);
    let off = 0;
    for (const w of words) { off = name.indexOf(w, off); if (w && off > 0 && name.startsWith(q, off)) return isLabel ? 4 : 5; off += w.length; }
    return -1;
  }
  function localSearch(query, limit) {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const best = new Map();
    for (const [name, i, isLabel] of names) {
      const t = tier(name, isLabel, q);
      if (t >= 0 && (!best.has(i) || t < best.get(i))) best.set(i, t);
    }
    const out = [...best.entries()].map(([i, t]) => ({ i, t }));
    out.sort((x, y) => x.t - y.t || data.nodes[y.i].mentions - data.nodes[x.i].mentions || data.nodes[x.i].o - data.nodes[y.i].o);
    return out.slice(0, limit).map(({ i }) => { const n = data.nodes[i]; return { id: n.id, label: n.label, type: data.types[n.t].name, mentions: n.mentions }; });
  }
  async function getJSON(url) {
    const r = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || r.statusText);
    return body;
  }
  async function search(query, limit) {
    if (!api) return localSearch(query, limit);
    const r = await getJSON("/api/search?q=" + encodeURIComponent(query) + "&limit=" + limit);
    return r.results;
  }

  // A combobox: type to list matches, arrows to move, Enter to choose, Escape to close.
  function combobox(input, list, onChoose) {
    let items = [], active = -1, seq = 0;
    const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; };
    const paint = () => {
      [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === active)));
      if (active >= 0) { input.setAttribute("aria-activedescendant", list.children[active].id); list.children[active].scrollIntoView({ block: "nearest" }); }
    };
    const choose = (i) => { const it = items[i]; if (!it) return; input.value = it.label; input.dataset.id = it.id; close(); onChoose(it); };
    input.addEventListener("input", async () => {
      delete input.dataset.id;
      const mine = ++seq;
      let found;
      try { found = await search(input.value, 12); } catch (e) { found = []; }
      if (mine !== seq) return;
      items = found;
      list.replaceChildren(...items.map((it, i) => {
        const li = el("li", { role: "option", id: list.id + "-" + i, "aria-selected": "false" },
          el("span", {}, it.label), el("span", { class: "kind" }, it.type), el("span", { class: "why" }, plural(it.mentions, "mention")));
        li.addEventListener("mousedown", (ev) => { ev.preventDefault(); choose(i); });
        return li;
      }));
      if (!items.length && input.value.trim()) list.append(el("li", { role: "option", "aria-disabled": "true" }, "no entity matches"));
      list.hidden = !input.value.trim();
      input.setAttribute("aria-expanded", String(!list.hidden));
      active = items.length ? 0 : -1;
      paint();
    });
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "ArrowDown" && items.length) { ev.preventDefault(); active = (active + 1) % items.length; paint(); }
      else if (ev.key === "ArrowUp" && items.length) { ev.preventDefault(); active = (active - 1 + items.length) % items.length; paint(); }
      else if (ev.key === "Enter" && !list.hidden && active >= 0) { ev.preventDefault(); choose(active); }
      else if (ev.key === "Escape") close();
    });
    input.addEventListener("blur", () => setTimeout(close, 100));
  }

  // ---------- selection and details ----------
  function showTab(name) {
    for (const t of ["details", "connect"]) {
      const on = t === name;
      $("tab-" + t).setAttribute("aria-selected", String(on));
      $("tab-" + t).tabIndex = on ? 0 : -1;
      $("panel-" + t).hidden = !on;
    }
  }
  ["details", "connect"].forEach((t) => $("tab-" + t).addEventListener("click", () => showTab(t)));
  $("side").querySelector("[role=tablist]").addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowRight" || ev.key === "ArrowLeft") {
      const next = $("tab-details").getAttribute("aria-selected") === "true" ? "connect" : "details";
      showTab(next); $("tab-" + next).focus();
    }
  });

  function clearFocus() {
    canvas.classList.remove("focus", "paths");
    document.querySelectorAll(".selected, .near").forEach((e) => e.classList.remove("selected", "near"));
  }
  function focusOn(nodes, edges) {
    clearFocus();
    canvas.classList.add("focus");
    for (const i of nodes) nodeEls[i].g.classList.add("near");
    for (const i of edges) { edgeEls[i].g.classList.add("near"); edgeEls[i].line.classList.add("near"); }
  }

  function linksOf(i) {
    return adj[i].map(([j, e]) => ({ j, e, w: data.edges[e].weight }))
      .sort((x, y) => y.w - x.w || data.nodes[x.j].o - data.nodes[y.j].o);
  }

  function nodeDetails(n, links, more) {
    const box = el("div");
    box.append(el("h2", {}, n.label), el("div", { class: "kind" }, n.type + " · " + n.id));
    const dl = el("dl", { class: "facts" });
    const fact = (k, v) => dl.append(el("dt", {}, k), el("dd", {}, v));
    fact("mentions", fmt(n.mentions));
    fact("aliases", n.aliases && n.aliases.length ? n.aliases.join(", ") : "none");
    if (n.community != null) fact("community", String(n.community));
    fact("documents", fmt(n.documentCount != null ? n.documentCount : n.documents.length));
    box.append(dl);
    const actions = el("div", { class: "actions" },
      el("button", { type: "button", onclick: () => setEnd("connect-from", n) }, "Connect from here"),
      el("button", { type: "button", onclick: () => setEnd("connect-to", n) }, "Connect to here"));
    if (more) actions.append(more);
    box.append(actions);
    box.append(el("h3", {}, "Strongest links"));
    if (!links.length) box.append(el("p", { class: "hint" }, "No links."));
    const ul = el("ul", { class: "plain links" });
    for (const l of links) {
      ul.append(el("li", {}, el("button", { type: "button", class: "link", onclick: l.open }, l.label),
        el("span", { class: "kind" }, "weight " + fmt(l.weight))));
    }
    box.append(ul);
    box.append(el("h3", {}, "Documents"));
    const docs = el("ul", { class: "plain" });
    for (const d of n.documents) docs.append(el("li", {}, d));
    if (n.documentCount > n.documents.length) docs.append(el("li", { class: "hint" }, "… and " + fmt(n.documentCount - n.documents.length) + " more"));
    box.append(docs);
    return box;
  }

  function selectNode(i, center) {
    const n = data.nodes[i];
    state.selected = { node: i };
    const links = linksOf(i);
    focusOn([i, ...links.map((l) => l.j)], links.map((l) => l.e));
    nodeEls[i].g.classList.add("selected");
    if (center) centerOn(n);
    const shown = links.slice(0, 25).map((l) => ({ label: data.nodes[l.j].label, weight: l.w, open: () => selectEdge(l.e) }));
    const more = api ? el("button", { type: "button", onclick: () => openView(n.id) }, "Draw its neighbourhood") : null;
    const info = { label: n.label, type: data.types[n.t].name, id: n.id, mentions: n.mentions, aliases: n.aliases, community: n.community,
      documents: n.docs.map((d) => data.docs[d]) };
    $("details").replaceChildren(nodeDetails(info, shown, more));
    if (links.length > 25) $("details").querySelector("ul.links").append(el("li", { class: "hint" }, "… " + fmt(links.length - 25) + " more links drawn"));
    showTab("details");
  }

  function edgeDetails(a, b, e, evidence) {
    const box = el("div");
    box.append(el("h2", {}, a.label + " — " + b.label));
    const dl = el("dl", { class: "facts" });
    const fact = (k, v) => dl.append(el("dt", {}, k), el("dd", {}, v));
    fact("weight", fmt(e.weight) + " (" + plural(e.weight, "shared " + data.info.window) + ")");
    for (const m of measures) if (e[m] != null) fact(m, Number(e[m]).toFixed(3));
    for (const [k, v] of Object.entries(e)) {
      if (["s", "t", "p", "ev", "weight", "source", "target", "evidence", ...measures].includes(k) || v == null) continue;
      fact(k, Array.isArray(v) ? v.join(", ") : typeof v === "object" ? JSON.stringify(v) : String(v));
    }
    box.append(dl);
    box.append(el("h3", {}, "Evidence (" + evidence.length + (e.weight > evidence.length ? " of " + fmt(e.weight) + " kept" : "") + ")"));
    for (const ev of evidence) box.append(evidenceBlock(ev, a, b));
    return box;
  }

  function selectEdge(i) {
    const e = data.edges[i];
    state.selected = { edge: i };
    focusOn([e.s, e.t], [i]);
    edgeEls[i].line.classList.add("selected");
    const a = data.nodes[e.s], b = data.nodes[e.t];
    const box = edgeDetails(a, b, e, evOf(e));
    box.querySelector("h2").replaceChildren(
      el("button", { type: "button", class: "link", onclick: () => selectNode(e.s, true) }, a.label), " — ",
      el("button", { type: "button", class: "link", onclick: () => selectNode(e.t, true) }, b.label));
    $("details").replaceChildren(box);
    showTab("details");
  }

  // An entity that is not drawn (served page): its details from the API.
  async function showRemote(id) {
    try {
      const r = await getJSON("/api/entity?id=" + encodeURIComponent(id));
      clearFocus();
      const links = r.links.map((l) => ({ label: l.label, weight: l.weight, open: () => showRemoteEdge(r, l) }));
      const more = el("button", { type: "button", onclick: () => openView(r.id) }, "Draw its neighbourhood");
      $("details").replaceChildren(el("p", { class: "hint" }, "Not in this drawing."),
        nodeDetails({ ...r, documents: r.documents, documentCount: r.document_count }, links, more));
      showTab("details");
    } catch (e) { $("details").replaceChildren(el("p", { class: "error" }, String(e.message || e))); }
  }
  async function showRemoteEdge(a, l) {
    try {
      const r = await getJSON("/api/evidence?source=" + encodeURIComponent(a.id) + "&target=" + encodeURIComponent(l.id));
      const ends = await Promise.all([r.source, r.target].map((id) => getJSON("/api/entity?id=" + encodeURIComponent(id) + "&links=0")));
      $("details").replaceChildren(edgeDetails(ends[0], ends[1], r, r.evidence));
    } catch (e) { $("details").replaceChildren(el("p", { class: "error" }, String(e.message || e))); }
  }

  function choose(it) {
    const i = byId.get(it.id);
    if (i != null) selectNode(i, true);
    else if (api) showRemote(it.id);
  }

  // ---------- connect ----------
  function setEnd(inputId, n) {
    const input = $(inputId);
    input.value = n.label;
    input.dataset.id = n.id;
    showTab("connect");
  }
  // The K best shortest paths, as `entgraph connect` ranks them: fewest hops; then the highest sum
  // of weights; then the sequence of nodes compared one by one by (label, id) (`o`). A best-first
  // search over the shortest-path DAG with the exact best weight still reachable as its bound
  // yields complete paths in exactly that order.
  function connectLocal(s, t, k) {
    const n = data.nodes.length;
    const bfs = (root) => {
      const d = new Array(n).fill(-1);
      d[root] = 0;
      let frontier = [root];
      while (frontier.length) {
        const next = [];
        for (const u of frontier) for (const [v] of adj[u]) if (d[v] < 0) { d[v] = d[u] + 1; next.push(v); }
        frontier = next;
      }
      return d;
    };
    const ds = bfs(s), dt = bfs(t);
    if (s === t || ds[t] < 0) return { paths: [], total: 0 };
    const D = ds[t];
    const succ = (u) => adj[u].filter(([v]) => ds[v] === ds[u] + 1 && dt[v] === dt[u] - 1 && ds[v] + dt[v] === D);
    // best[v]: the highest weight from v to t; count[v]: the number of shortest paths v -> t.
    const best = new Array(n).fill(-1), count = new Array(n).fill(0);
    const onDag = [];
    for (let v = 0; v < n; v++) if (ds[v] >= 0 && dt[v] >= 0 && ds[v] + dt[v] === D) onDag.push(v);
    onDag.sort((a, b) => dt[a] - dt[b]);
    for (const v of onDag) {
      if (v === t) { best[v] = 0; count[v] = 1; continue; }
      for (const [w, e] of succ(v)) {
        best[v] = Math.max(best[v], data.edges[e].weight + best[w]);
        count[v] += count[w];
      }
    }
    const cmpSeq = (a, b) => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        if (a[i] !== b[i]) return data.nodes[a[i]].o - data.nodes[b[i]].o;
      }
      return a.length - b.length;
    };
    const before = (a, b) => (a.bound !== b.bound ? a.bound > b.bound : cmpSeq(a.nodes, b.nodes) < 0);
    const heap = [];
    const push = (x) => {
      heap.push(x);
      let i = heap.length - 1;
      while (i > 0) { const p = (i - 1) >> 1; if (!before(heap[i], heap[p])) break; [heap[i], heap[p]] = [heap[p], heap[i]]; i = p; }
    };
    const pop = () => {
      const top = heap[0], last = heap.pop();
      if (heap.length) {
        heap[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1, r = l + 1;
          let m = i;
          if (l < heap.length && before(heap[l], heap[m])) m = l;
          if (r < heap.length && before(heap[r], heap[m])) m = r;
          if (m === i) break;
          [heap[i], heap[m]] = [heap[m], heap[i]];
          i = m;
        }
      }
      return top;
    };
    push({ nodes: [s], edges: [], weight: 0, bound: best[s] });
    const paths = [];
    while (heap.length && paths.length < k) {
      const p = pop();
      const u = p.nodes[p.nodes.length - 1];
      if (u === t) { paths.push(p); continue; }
      for (const [v, e] of succ(u)) {
        const weight = p.weight + data.edges[e].weight;
        push({ nodes: [...p.nodes, v], edges: [...p.edges, e], weight, bound: weight + best[v] });
      }
    }
    return {
      total: count[s],
      paths: paths.map((p) => ({
        nodes: p.nodes.map((i) => data.nodes[i].id), labels: p.nodes.map((i) => data.nodes[i].label), hops: p.edges.length, weight: p.weight,
        edges: p.edges.map((e, h) => ({ source: data.nodes[p.nodes[h]].id, target: data.nodes[p.nodes[h + 1]].id, weight: data.edges[e].weight, evidence: evOf(data.edges[e]) })),
      })),
    };
  }

  function nodeLike(id, label) {
    const i = byId.get(id);
    return i != null ? data.nodes[i] : { id, label, aliases: [] };
  }

  function highlightPaths(paths) {
    canvas.classList.remove("focus");
    document.querySelectorAll(".onpath").forEach((e) => e.classList.remove("onpath"));
    if (!paths.length) { canvas.classList.remove("paths"); return; }
    canvas.classList.add("paths");
    for (const p of paths) {
      p.nodes.forEach((id) => { const i = byId.get(id); if (i != null) nodeEls[i].g.classList.add("onpath"); });
      for (const e of p.edges) {
        const a = byId.get(e.source), b = byId.get(e.target);
        if (a == null || b == null) continue;
        for (const [j, ei] of adj[a]) if (j === b) { edgeEls[ei].g.classList.add("onpath"); edgeEls[ei].line.classList.add("onpath"); }
      }
    }
  }

  function showPaths(result, from, to) {
    const box = $("connect-result");
    box.replaceChildren();
    const paths = result.paths;
    state.paths = paths;
    highlightPaths(paths);
    if (!paths.length) {
      box.append(el("p", {}, "No path between " + from.label + " and " + to.label + "."));
      return;
    }
    const hops = paths[0].hops;
    let summary;
    if (result.strongest) summary = "the " + paths.length + " strongest path" + (paths.length === 1 ? "" : "s") + " (lowest Σ 1/weight first)";
    else {
      summary = plural(result.total, "shortest path") + " of " + plural(hops, "hop");
      if (result.total > paths.length) summary += ", the " + paths.length + " heaviest shown";
    }
    box.append(el("p", { id: "connect-summary" }, el("strong", {}, from.label + " → " + to.label), ": " + summary));
    const ol = el("ol", { class: "paths" });
    paths.forEach((p) => {
      const head = el("div", { class: "path-head", tabindex: "0", role: "button", title: "Highlight only this path" },
        p.labels.join(" — "), el("small", {}, "  (" + plural(p.hops, "hop") + ", weight " + fmt(p.weight) + ")"));
      const only = () => highlightPaths([p]);
      head.addEventListener("click", only);
      head.addEventListener("keydown", (ev) => { if (ev.key === "Enter") only(); });
      const li = el("li", { class: "path" }, head);
      p.edges.forEach((e, h) => {
        const a = nodeLike(e.source, p.labels[h]), b = nodeLike(e.target, p.labels[h + 1]);
        // The first evidence that shows both names, else the first (as `entgraph connect`).
        let chosen = null;
        for (const ev of e.evidence) { if (markNames(ev.text, a, b).both) { chosen = ev; break; } if (!chosen) chosen = ev; }
        li.append(el("div", { class: "hop" }, el("div", { class: "hop-names" }, a.label + " — " + b.label + "  (weight " + fmt(e.weight) + ")"),
          chosen ? evidenceBlock(chosen, a, b) : el("p", { class: "hint" }, "(no evidence kept)")));
      });
      ol.append(li);
    });
    box.append(ol);
  }

  async function runConnect(ev) {
    if (ev) ev.preventDefault();
    const box = $("connect-result");
    const ends = [];
    for (const id of ["connect-from", "connect-to"]) {
      const input = $(id);
      let nid = input.dataset.id;
      if (!nid && input.value.trim()) {
        const found = await search(input.value, 1);
        if (found.length) { nid = found[0].id; input.value = found[0].label; input.dataset.id = nid; }
      }
      if (!nid) { box.replaceChildren(el("p", { class: "error" }, "Choose an entity in “" + (id === "connect-from" ? "From" : "To") + "”.")); return; }
      ends.push({ id: nid, label: input.value });
    }
    if (ends[0].id === ends[1].id) { box.replaceChildren(el("p", { class: "error" }, "The two ends are the same entity.")); return; }
    const k = Math.min(Math.max(parseInt($("connect-k").value, 10) || 5, 1), 20);
    try {
      let result;
      if (api) {
        const strongest = $("connect-strongest").checked;
        result = await getJSON("/api/connect?from=" + encodeURIComponent(ends[0].id) + "&to=" + encodeURIComponent(ends[1].id) + "&paths=" + k + (strongest ? "&strongest=1" : ""));
        result.strongest = strongest;
      } else {
        result = connectLocal(byId.get(ends[0].id), byId.get(ends[1].id), k);
      }
      showPaths(result, ends[0], ends[1]);
    } catch (e) { box.replaceChildren(el("p", { class: "error" }, String(e.message || e))); }
  }
  $("connect-form").addEventListener("submit", runConnect);
  $("connect-clear").addEventListener("click", () => { $("connect-result").replaceChildren(); highlightPaths([]); });

  // ---------- views ----------
  function load(d) {
    data = d;
    canvas.classList.remove("focus", "paths");
    state.paths = null;
    adj = data.nodes.map(() => []);
    byId = new Map(data.nodes.map((n, i) => [n.id, i]));
    data.edges.forEach((e, i) => { adj[e.s].push([e.t, i]); adj[e.t].push([e.s, i]); });
    buildNames();
    buildFilters();
    $("title").textContent = data.title;
    document.title = data.title;
    const note = $("note");
    if (data.cap) {
      const c = data.cap;
      note.replaceChildren("This drawing shows " + fmt(c.drawn_nodes) + " of " + fmt(c.nodes) + " entities and " + fmt(c.drawn_edges) + " of " + fmt(c.edges) +
        " links" + (data.view ? " (" + data.view + ")" : " (those with the highest weighted degree, and the heaviest links between them)") + ". ");
      if (api) note.append("Search, connect and “Draw its neighbourhood” reach the whole graph.");
      else note.append("To draw others: ", el("code", {}, "entgraph export --format html --top N"), ", ", el("code", {}, "--types"), " or ",
        el("code", {}, "--ego NAME"), "; to explore the whole graph: ", el("code", {}, "entgraph serve --graph graph.json"), ".");
      note.hidden = false;
    } else if (data.view) {
      note.replaceChildren("This drawing shows " + data.view + ". ");
      note.hidden = false;
    } else note.hidden = true;
    draw();
    showCounts();
  }
  async function openView(id) {
    try {
      const d = await getJSON("/api/view?id=" + encodeURIComponent(id));
      load(d);
      const back = el("button", { type: "button", class: "link", onclick: async () => load(await getJSON("/api/view")) }, "back to the overview");
      $("note").append(" ", back);
      const i = byId.get(id);
      if (i != null) selectNode(i, false);
    } catch (e) { $("details").replaceChildren(el("p", { class: "error" }, String(e.message || e))); }
  }

  $("strongest-label").hidden = !api;
  combobox($("search"), $("search-list"), choose);
  combobox($("connect-from"), $("connect-from-list"), () => {});
  combobox($("connect-to"), $("connect-to-list"), () => {});
  load(data);
  // For tests and the curious: the page's own answers.
  window.entgraph = { connect: (a, b, k) => connectLocal(byId.get(a), byId.get(b), k || 5), search: localSearch, data: () => data };
})();
