#!/usr/bin/env node
// Load test of `entgraph serve`: starts it on a free loopback port, sends a bounded number of mixed
// API requests (search, entity, neighbors, connect, evidence) from concurrent clients, stops the
// server, and prints the p50 and p99 latency per endpoint and the error count. Loopback only; it
// stops by itself after --requests requests or --seconds seconds, whichever comes first.
//
//   benches/serve-load.js --graph target/bench/c100/graph.json [--requests 10000] [--clients 32]
//                         [--seconds 600] [--bin target/release/entgraph] [--seed 1]
"use strict";
const { spawn } = require("node:child_process");
const http = require("node:http");
const path = require("node:path");

const args = { requests: 10000, clients: 32, seconds: 600, seed: 1, bin: path.join(__dirname, "../target/release/entgraph"), graph: "output/graph.json" };
for (let i = 2; i < process.argv.length; i += 2) {
  const k = process.argv[i].replace(/^--/, "");
  if (!(k in args)) { console.error(`serve-load: unknown option --${k}`); process.exit(2); }
  args[k] = typeof args[k] === "number" ? Number(process.argv[i + 1]) : process.argv[i + 1];
}

let x = args.seed >>> 0 || 1;
const rnd = (n) => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x % n; };
const agent = new http.Agent({ keepAlive: true, maxSockets: args.clients });

function get(port, target) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = http.get({ host: "127.0.0.1", port, path: target, agent }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks), ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    });
    req.setTimeout(60000, () => req.destroy(new Error("no answer in 60 s")));
    req.on("error", (e) => resolve({ status: 0, error: e.message, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
  });
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

(async () => {
  const started = Date.now();
  const server = spawn(args.bin, ["serve", "--graph", args.graph, "--port", "0"], { stdio: ["ignore", "ignore", "pipe"] });
  const port = await new Promise((resolve, reject) => {
    let err = "";
    server.stderr.on("data", (d) => { err += d; const m = err.match(/at http:\/\/127\.0\.0\.1:(\d+)\//); if (m) resolve(Number(m[1])); });
    server.on("exit", (c) => reject(new Error(`entgraph serve exited with ${c}: ${err}`)));
  });
  const ready = (Date.now() - started) / 1000;
  // Entities and links to ask about: the drawn overview (the entities of highest weighted degree)
  // plus the neighbours of some of them, so both hubs and the long tail are asked.
  const overview = JSON.parse((await get(port, "/api/view")).body);
  const ids = overview.nodes.map((n) => n.id);
  const labels = overview.nodes.map((n) => n.label);
  const links = overview.edges.map((e) => [ids[e.s], ids[e.t]]);
  for (let i = 0; i < 60; i++) {
    const r = JSON.parse((await get(port, "/api/neighbors?id=" + encodeURIComponent(ids[rnd(ids.length)]) + "&top=50")).body);
    for (const n of r.neighbors) { ids.push(n.id); labels.push(n.label); links.push([r.center.id, n.id]); }
  }
  const e = encodeURIComponent;
  const kinds = {
    search: () => { const l = labels[rnd(labels.length)]; return "/api/search?q=" + e(l.slice(0, 2 + rnd(4))); },
    entity: () => "/api/entity?id=" + e(ids[rnd(ids.length)]),
    neighbors: () => "/api/neighbors?id=" + e(ids[rnd(ids.length)]) + "&depth=" + (1 + rnd(2)) + "&top=50",
    connect: () => {
      const a = ids[rnd(ids.length)];
      let b = a;
      while (b === a) b = ids[rnd(ids.length)];
      return "/api/connect?from=" + e(a) + "&to=" + e(b) + "&paths=5";
    },
    evidence: () => { const [a, b] = links[rnd(links.length)]; return "/api/evidence?source=" + e(a) + "&target=" + e(b); },
  };
  const names = Object.keys(kinds);
  const lat = Object.fromEntries(names.map((k) => [k, []]));
  const errors = [];
  let sent = 0;
  const deadline = Date.now() + args.seconds * 1000;
  const t0 = Date.now();
  async function client() {
    while (sent < args.requests && Date.now() < deadline) {
      const kind = names[sent++ % names.length];
      const target = kinds[kind]();
      const r = await get(port, target);
      lat[kind].push(r.ms);
      if (r.status !== 200) errors.push(`${r.status} ${target} ${r.error || String(r.body).slice(0, 200)}`);
    }
  }
  await Promise.all(Array.from({ length: args.clients }, client));
  const wall = (Date.now() - t0) / 1000;
  server.kill();
  agent.destroy();
  const total = names.reduce((s, k) => s + lat[k].length, 0);
  console.log(`graph: ${args.graph}; server ready in ${ready.toFixed(1)} s; ${overview.cap ? overview.cap.nodes + " entities, " + overview.cap.edges + " links" : overview.nodes.length + " entities"}`);
  console.log(`${total} requests from ${args.clients} clients in ${wall.toFixed(1)} s (${(total / wall).toFixed(0)}/s), ${errors.length} errors`);
  console.log("endpoint    requests  p50 ms   p99 ms   max ms");
  for (const k of names) {
    const s = lat[k].slice().sort((a, b) => a - b);
    console.log(`${k.padEnd(10)}  ${String(s.length).padStart(8)}  ${pct(s, 50).toFixed(1).padStart(7)}  ${pct(s, 99).toFixed(1).padStart(7)}  ${s[s.length - 1].toFixed(1).padStart(7)}`);
  }
  for (const err of errors.slice(0, 10)) console.log("error: " + err);
  process.exit(errors.length ? 1 : 0);
})().catch((e) => { console.error("serve-load: " + e.message); process.exit(2); });
