// Browser tests of graph.html (from file://) and `entgraph serve`, in headless Chromium driven by
// playwright-core. Run by scripts/test (`node --test tests/browser/`), which installs Debian's
// chromium and `npm ci` here. ENTGRAPH_BIN names the entgraph binary (default: target/debug/entgraph);
// screenshots go to target/browser/.
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { chromium } = require("playwright-core");

const root = path.resolve(__dirname, "../..");
const bin = process.env.ENTGRAPH_BIN || path.join(root, "target/debug/entgraph");
const shots = path.join(root, "target/browser");
const seedsGraph = path.join(root, "output/graph.json");
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let tmp, context;

function entgraph(args, opts = {}) {
  const r = spawnSync(bin, args, { encoding: "utf8", cwd: root, ...opts });
  if (r.error) throw r.error;
  return r;
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "entgraph-browser-"));
  fs.mkdirSync(shots, { recursive: true });
  context = await chromium.launchPersistentContext(path.join(tmp, "profile"), {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 800 },
  });
});

after(async () => {
  if (context) await context.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/// A page that records every request it makes and fails the test on a script error.
async function open(url) {
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector("#nodes .node");
  return { page, requests, errors };
}

async function searchAndChoose(page, selector, text, expected) {
  await page.fill(selector, "");
  await page.type(selector, text);
  const list = selector + "-list";
  await page.waitForSelector(list + " li[aria-selected=true]");
  const first = await page.textContent(list + " li[aria-selected=true] span");
  assert.equal(first, expected);
  await page.press(selector, "Enter");
}

/// Checks search, link evidence and connect on the seeds' page; saves screenshots named `name-*`.
async function seedsScenario(page, name) {
  // Search "McQuarrie": the first suggestion is Christopher McQuarrie; Enter selects and centres it.
  await searchAndChoose(page, "#search", "McQuarrie", "Christopher McQuarrie");
  assert.equal(await page.textContent("#details h2"), "Christopher McQuarrie");
  const selected = await page.$$eval("#nodes .node.selected text", (ts) => ts.map((t) => t.textContent));
  assert.deepEqual(selected, ["Christopher McQuarrie"]);
  await page.screenshot({ path: path.join(shots, name + "-search.png") });

  // Click the Tom Cruise – Stade de France link: its evidence, both names marked, the document named.
  const edge = await page.evaluate(() => {
    const d = window.entgraph.data();
    const ix = (label) => d.nodes.findIndex((n) => n.label === label);
    const [a, b] = [ix("Tom Cruise"), ix("Stade de France")];
    return d.edges.findIndex((e) => (e.s === a && e.t === b) || (e.s === b && e.t === a));
  });
  assert.ok(edge >= 0);
  await page.click("#zoom-fit");
  await page.dispatchEvent(`g[data-edge="${edge}"] path.hit`, "click");
  const ev = await page.textContent("#details blockquote.ev");
  assert.match(ev, /Following a heart-stopping ensemble performance of the legendary Golden Voyager on Sunday, August 11, Tom appeared atop the Stade de France\./);
  assert.match(ev, /seeds\/000_fd1094a99a31afa8\.txt/);
  const marks = await page.$$eval("#details blockquote.ev mark", (ms) => ms.map((m) => m.textContent));
  assert.deepEqual(marks, ["Tom", "Stade de France"]);
  await page.screenshot({ path: path.join(shots, name + "-link.png") });

  // Connect McQuarrie -> Stade de France: the path of `entgraph connect`, highlighted and listed.
  await page.click("#tab-connect");
  await searchAndChoose(page, "#connect-from", "McQuarrie", "Christopher McQuarrie");
  await searchAndChoose(page, "#connect-to", "Stade de France", "Stade de France");
  await page.click("#connect-go");
  await page.waitForSelector("#connect-result ol.paths");
  const cli = JSON.parse(entgraph(["connect", "McQuarrie", "Stade de France", "--graph", seedsGraph, "--format", "json"]).stdout);
  const heads = await page.$$eval("#connect-result .path-head", (hs) => hs.map((h) => h.firstChild.textContent));
  assert.deepEqual(heads, cli.paths.map((p) => p.labels.join(" — ")));
  assert.deepEqual(heads, ["Christopher McQuarrie — Tom Cruise — Stade de France"]);
  const hops = await page.$$eval("#connect-result .hop blockquote.ev", (bs) => bs.map((b) => b.textContent));
  assert.equal(hops.length, 2);
  assert.match(hops[0], /McQuarrie told Empire/);
  assert.match(hops[1], /Tom appeared atop the Stade de France/);
  const onPath = await page.$$eval("#nodes .node.onpath text", (ts) => ts.map((t) => t.textContent).sort());
  assert.deepEqual(onPath, ["Christopher McQuarrie", "Stade de France", "Tom Cruise"]);
  assert.equal(await page.$$eval("#edges .edge.onpath", (es) => es.length), 2);
  await page.screenshot({ path: path.join(shots, name + "-connect.png") });
}

test("graph.html from file://: search, link evidence, connect, filters, zero network requests", async () => {
  const html = path.join(tmp, "graph.html");
  const r = entgraph(["export", "--graph", seedsGraph, "--format", "html", "-o", html, "-q"]);
  assert.equal(r.status, 0, r.stderr);
  const url = "file://" + html;
  const { page, requests, errors } = await open(url);
  await page.screenshot({ path: path.join(shots, "file-overview.png") });
  await seedsScenario(page, "file");

  // Filters hide without re-layout: places hidden, positions unchanged.
  const before = await page.$eval("#nodes .node text", (t) => t.getAttribute("x") + "," + t.getAttribute("y"));
  await page.click("#connect-clear");
  assert.equal(await page.$$eval("#canvas.paths", (e) => e.length), 0);
  await page.click("#tab-details");
  await page.uncheck("#types label:has-text('place') input");
  const hiddenPlaces = await page.$$eval("#nodes .node.hidden", (ns) => ns.length);
  const places = await page.evaluate(() => { const d = window.entgraph.data(); const t = d.types.findIndex((x) => x.name === "place"); return d.nodes.filter((n) => n.t === t).length; });
  assert.equal(hiddenPlaces, places);
  await page.$eval("#min-weight", (r) => { r.value = "3"; r.dispatchEvent(new Event("input")); });
  const light = await page.evaluate(() => window.entgraph.data().edges.filter((e) => e.weight < 3).length);
  assert.ok(await page.$$eval("#edges g.hidden", (es) => es.length) >= light);
  assert.equal(await page.$eval("#nodes .node text", (t) => t.getAttribute("x") + "," + t.getAttribute("y")), before);
  await page.screenshot({ path: path.join(shots, "file-filters.png") });

  assert.deepEqual(errors, []);
  assert.deepEqual(requests, [url], "the page made no request but its own file");
  const resources = await page.evaluate(() => performance.getEntriesByType("resource").length);
  assert.equal(resources, 0);
  await page.close();
});

/// A graph with many ties: labels shared by several ids, weights 1 to 3, hubs.
function tieGraph(seed) {
  let x = seed;
  const rnd = (n) => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x % n; };
  const labels = ["Ann", "Bob", "Cy", "Dee", "Émile", "Zoë", "bob", "Ｆ", "😀"];
  const nodes = [];
  for (let i = 0; i < 70; i++) {
    nodes.push({ id: "person:n" + String(i).padStart(2, "0"), label: labels[rnd(labels.length)] + (i % 3 ? "" : " " + (i % 7)),
      type: i % 4 ? "person" : "place", mentions: 1, documents: ["d.txt"], aliases: [] });
  }
  const seen = new Set(), links = [];
  for (let i = 0; i < 170; i++) {
    let a = rnd(nodes.length), b = i < 40 ? rnd(4) : rnd(nodes.length);
    if (a === b) continue;
    if (a > b) [a, b] = [b, a];
    if (seen.has(a + "-" + b)) continue;
    seen.add(a + "-" + b);
    links.push({ source: nodes[a].id, target: nodes[b].id, weight: 1 + rnd(3), evidence: [{ doc: "d.txt", text: nodes[a].label + " and " + nodes[b].label + ".", start: 0, end: 1 }] });
  }
  return { directed: false, multigraph: false, graph: { window: "sentence", documents: 1, mentions: 70, min_weight: 1 }, nodes, links };
}

test("connect in the page gives the paths of `entgraph connect`, in the same order, over many pairs", async () => {
  const cases = [["seeds", seedsGraph]];
  const ties = path.join(tmp, "ties.json");
  fs.writeFileSync(ties, JSON.stringify(tieGraph(20261207)));
  cases.push(["ties", ties]);
  let compared = 0, withPaths = 0;
  for (const [name, graph] of cases) {
    const html = path.join(tmp, name + ".html");
    const r = entgraph(["export", "--graph", graph, "--format", "html", "-o", html, "-q"]);
    assert.equal(r.status, 0, r.stderr);
    const { page, errors } = await open("file://" + html);
    const ids = await page.evaluate(() => window.entgraph.data().nodes.map((n) => n.id));
    const pairs = [];
    for (let i = 0; i < ids.length; i += 3) for (let j = i + 1; j < ids.length; j += 5) pairs.push([ids[i], ids[j]]);
    for (const [a, b] of pairs.slice(0, 150)) {
      const mine = await page.evaluate(([a, b]) => window.entgraph.connect(a, b, 5), [a, b]);
      const out = entgraph(["connect", a, b, "--graph", graph, "--format", "json", "--paths", "5", "-q"]);
      assert.ok(out.status === 0 || out.status === 1, out.stderr);
      const cli = JSON.parse(out.stdout);
      const got = mine.paths.map((p) => [p.nodes, p.weight]);
      const want = cli.paths.map((p) => [p.nodes, p.weight]);
      assert.deepEqual(got, want, `${name}: ${a} -> ${b}`);
      compared++;
      if (want.length) withPaths++;
    }
    assert.deepEqual(errors, []);
    await page.close();
  }
  assert.ok(compared >= 200 && withPaths >= 100, `${compared} pairs compared, ${withPaths} with paths`);
});

test("entgraph serve: the same page over HTTP, answering from the API", async () => {
  const server = spawn(bin, ["serve", "--graph", seedsGraph, "--port", "0"], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  try {
    const base = await new Promise((resolve, reject) => {
      let err = "";
      server.stderr.on("data", (d) => {
        err += d;
        const m = err.match(/at (http:\/\/127\.0\.0\.1:\d+\/)/);
        if (m) resolve(m[1]);
      });
      server.on("exit", (code) => reject(new Error("entgraph serve exited with " + code + ": " + err)));
    });
    const { page, requests, errors } = await open(base);
    await page.screenshot({ path: path.join(shots, "serve-overview.png") });
    await seedsScenario(page, "serve");
    // The served page asked the API, and nothing outside the server.
    assert.ok(requests.some((u) => u.startsWith(base + "api/connect?")), requests.join("\n"));
    assert.ok(requests.every((u) => u.startsWith(base)), requests.join("\n"));
    // Draw a neighbourhood on demand.
    await page.click("#tab-details");
    await searchAndChoose(page, "#search", "Empire", "Empire");
    await page.click("text=Draw its neighbourhood");
    await page.waitForSelector("#note:has-text('the neighbourhood of Empire')");
    assert.equal(await page.textContent("#details h2"), "Empire");
    await page.screenshot({ path: path.join(shots, "serve-neighbourhood.png") });
    // An entity outside the drawing: its details and a link's evidence come from the API.
    await searchAndChoose(page, "#search", "Stade de France", "Stade de France");
    await page.waitForSelector("#details h2:has-text('Stade de France')");
    assert.match(await page.textContent("#details"), /Not in this drawing\./);
    await page.click("#details ul.links button:has-text('Tom Cruise')");
    await page.waitForSelector("#details blockquote.ev");
    assert.match(await page.textContent("#details blockquote.ev"), /Tom appeared atop the Stade de France/);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    server.kill();
  }
});
