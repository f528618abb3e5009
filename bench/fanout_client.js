// Load client for bench/board_fanout.py: opens N receiving sockets and one mover,
// sends moves one at a time and times when each receiver gets the event.
// Node + ws so the client is not the bottleneck (a Python asyncio client needs
// ~24 ms to take in one broadcast on 500 sockets; ws ~4.5 ms).
"use strict";
const WebSocket = require("ws");
const { performance } = require("perf_hooks");

const cfg = JSON.parse(process.argv[2]);
const headers = cfg.cookie ? { Cookie: cfg.cookie } : {};
const SEQ = /"seq":(\d+)/;

// Each socket's Origin is its own server's (the hub accepts same-origin sockets).
function originOf(url) {
  const u = new URL(url);
  return (u.protocol === "wss:" ? "https://" : "http://") + u.host;
}

function open(url) {
  return new Promise((resolve, reject) => {
    // skipUTF8Validation keeps the client's cost per message small and the same for
    // both servers (the frames are JSON the server produced).
    const ws = new WebSocket(url, {
      headers, origin: originOf(url), perMessageDeflate: false, skipUTF8Validation: true,
    });
    const timer = setTimeout(() => reject(new Error("connect timeout")), 30000);
    ws.once("message", () => { clearTimeout(timer); resolve(ws); });  // snapshot / hello
    ws.once("error", (e) => { clearTimeout(timer); reject(e); });
  });
}

// Receivers are spread over cfg.urls (one per server process) when given.
const URLS = cfg.urls || [cfg.url];

async function openAll(n) {
  const sockets = [];
  for (let start = 0; start < n; start += 50) {
    const batch = [];
    for (let i = start; i < Math.min(n, start + 50); i++) { batch.push(open(URLS[i % URLS.length])); }
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

function percentile(values, p) {
  if (!values.length) { return null; }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const receivers = await openAll(cfg.clients);
  const mover = await open(cfg.mover_url || URLS[0]);
  let current = null;  // { seq, arrivals: [], t0, done }
  receivers.forEach((ws) => {
    ws.on("message", (data) => {
      if (!current) { return; }
      const head = data.toString("utf8", 0, 64);
      if (head.indexOf('"type":"event"') === -1) { return; }
      const match = SEQ.exec(head);
      if (match && Number(match[1]) === current.seq) {
        current.arrivals.push(performance.now());
        if (current.arrivals.length === receivers.length) { current.done(); }
      }
    });
  });
  let seq = cfg.start_seq;
  const latencies = [], spreads = [];
  let lost = 0;
  await new Promise((r) => setTimeout(r, 500));  // let presence updates settle
  const started = performance.now();
  for (let i = 0; i < cfg.moves; i++) {
    seq += 1;
    const move = cfg.mode === "baseline"
      ? "move"
      : JSON.stringify({ type: "card.move", card: cfg.card, column: cfg.columns[i % 2], after: null });
    await new Promise((resolve) => {
      const timer = setTimeout(() => { lost += receivers.length - current.arrivals.length; resolve(); }, cfg.timeout_ms);
      current = { seq, arrivals: [], t0: performance.now(), done: () => { clearTimeout(timer); resolve(); } };
      current.t0 = performance.now();
      mover.send(move);
    });
    if (current.arrivals.length) {
      latencies.push(Math.max(...current.arrivals) - current.t0);
      spreads.push(Math.max(...current.arrivals) - Math.min(...current.arrivals));
    }
    current = null;
    await new Promise((r) => setTimeout(r, cfg.pause_ms));
  }
  const elapsed = (performance.now() - started) / 1000;
  receivers.forEach((ws) => ws.terminate());
  mover.terminate();
  process.stdout.write(JSON.stringify({
    clients: cfg.clients,
    p50_ms: percentile(latencies, 50),
    p99_ms: percentile(latencies, 99),
    spread_p50_ms: percentile(spreads, 50),
    moves_per_s: cfg.moves / elapsed,
    lost,
  }) + "\n");
}

main().catch((e) => { console.error(e); process.exit(1); });
