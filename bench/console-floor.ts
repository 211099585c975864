/**
 * The floor of the console benchmark: the least a browser terminal can be. A page with
 * the same xterm.js build, options and size, a socket.io connection (websocket only)
 * to this process, and node-pty running a shell here, one hop from the browser. The
 * page fires the same output event as the panel's console, so one probe drives both.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import * as pty from "node-pty";
import { Server } from "socket.io";

const repo = path.resolve(import.meta.dirname, "..");
const assets: Record<string, [string, string]> = {
  "/xterm.js": [path.join(repo, "node_modules/@xterm/xterm/lib/xterm.js"), "text/javascript"],
  "/xterm.css": [path.join(repo, "node_modules/@xterm/xterm/css/xterm.css"), "text/css"],
  "/addon-fit.js": [path.join(repo, "node_modules/@xterm/addon-fit/lib/addon-fit.js"), "text/javascript"],
  "/socket.io.js": [path.join(repo, "node_modules/socket.io-client/dist/socket.io.min.js"), "text/javascript"],
};

/** The page: one terminal at a time in a box the size of the panel's, and a "New shell" button. */
const page = `<!doctype html><html><head><meta charset="utf-8"><title>floor</title>
<link rel="stylesheet" href="/xterm.css"><script src="/xterm.js"></script><script src="/addon-fit.js"></script><script src="/socket.io.js"></script>
<style>body{margin:0;background:#f8fafc;font-family:sans-serif} #box{width:976px;height:540px;margin:20px;background:#0b1020;padding:4px}</style></head>
<body><button id="new" data-testid="floor-new">New shell</button><div id="box"></div>
<script>
const socket = io({ transports: ["websocket"] });
const box = document.getElementById("box");
let term = null, fit = null, screen = null;
function open() {
  if (term) { socket.emit("close"); term.dispose(); screen.remove(); }
  // A new element per shell, as the panel's console has one per tab.
  screen = document.createElement("div");
  screen.dataset.testid = "console-screen";
  screen.style.height = "100%";
  box.appendChild(screen);
  term = new Terminal({ cursorBlink: true, fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', fontSize: 14, scrollback: 5000, allowProposedApi: true, theme: { background: "#0b1020" } });
  fit = new FitAddon.FitAddon();
  term.loadAddon(fit);
  term.open(screen);
  fit.fit();
  const t = term;
  t.onData((d) => socket.emit("input", d));
  socket.emit("open", { cols: t.cols, rows: t.rows });
  t.focus();
}
socket.on("output", (d) => { const t = term, el = screen; t && t.write(d, () => el.dispatchEvent(new CustomEvent("vsp-console-output", { detail: d, bubbles: true }))); });
document.getElementById("new").addEventListener("click", open);
socket.on("connect", () => { if (!term) open(); });
</script></body></html>`;

/** A running floor server. */
export interface Floor {
  url: string;
  close(): Promise<void>;
}

/** Starts the floor on a loopback port. */
export async function startFloor(): Promise<Floor> {
  const server = http.createServer((req, res) => {
    const asset = assets[req.url ?? ""];
    if (asset) {
      res.writeHead(200, { "content-type": asset[1] });
      res.end(fs.readFileSync(asset[0]));
    } else {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(page);
    }
  });
  const io = new Server(server, { serveClient: false });
  const terms = new Set<pty.IPty>();
  io.on("connection", (socket) => {
    let term: pty.IPty | null = null;
    const end = () => {
      if (!term) return;
      term.kill("SIGHUP");
      terms.delete(term);
      term = null;
    };
    socket.on("open", ({ cols, rows }: { cols: number; rows: number }) => {
      end();
      const t = pty.spawn("/bin/sh", ["-l"], { name: "xterm-256color", cols, rows, cwd: "/", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/root", TERM: "xterm-256color", LANG: "C.UTF-8" } });
      terms.add(t);
      term = t;
      t.onData((d) => socket.emit("output", d));
      t.onExit(() => terms.delete(t));
    });
    socket.on("input", (d: string) => term?.write(d));
    socket.on("close", end);
    socket.on("disconnect", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    async close() {
      for (const t of terms) t.kill("SIGKILL");
      io.close();
      await new Promise((r) => server.close(r));
    },
  };
}
