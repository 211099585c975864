/**
 * Orchestration of the probe programs from a test: a listener in one namespace, senders
 * in others, the result as data. Ports are random per call.
 */
import path from "node:path";
import { finished, spawnNodeInNs } from "./fixture";

const udpProbe = path.join(import.meta.dirname, "udp-probe.ts");
const tcpMeter = path.join(import.meta.dirname, "tcp-meter.ts");

function randomPort(): number {
  return 20000 + Math.floor(Math.random() * 20000);
}

function waitReady(child: ReturnType<typeof spawnNodeInNs>): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const onData = (d: Buffer) => {
      buffer += d.toString();
      if (buffer.includes("ready\n")) {
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`probe exited (${code}) before it was ready`)));
  });
}

/** One datagram source: send `tag` from `src` to `dst`. */
export interface Send {
  tag: string;
  src: string;
  dst: string;
}

/**
 * Listens in `receiverNs`, sends the given datagrams from their namespaces, and returns
 * the tags that arrived (with the source address the receiver saw).
 */
export async function udpExchange(receiverNs: string, sends: { ns: string; items: Send[] }[], graceMs = 300): Promise<{ from: string; tag: string }[]> {
  const port = randomPort();
  const listener = spawnNodeInNs(receiverNs, udpProbe, ["listen", String(port)]);
  const done = finished(listener);
  await waitReady(listener);
  for (const s of sends) {
    const args = s.items.flatMap((i) => [i.tag, i.src, i.dst]);
    const sent = await finished(spawnNodeInNs(s.ns, udpProbe, ["send", String(port), ...args]));
    if (sent.code !== 0) throw new Error(`udp-probe send failed (${sent.code}): ${sent.stderr}`);
  }
  await new Promise((r) => setTimeout(r, graceMs));
  listener.kill("SIGTERM");
  const out = await done;
  const line = out.stdout.trim().split("\n").pop() ?? "[]";
  return JSON.parse(line) as { from: string; tag: string }[];
}

/** Measures TCP goodput from `senderNs` to `dst` (an address in `receiverNs`), bits/s. */
export async function measureThroughput(senderNs: string, receiverNs: string, dst: string, skipMs = 1000, measureMs = 3000): Promise<number> {
  const port = randomPort();
  const receiver = spawnNodeInNs(receiverNs, tcpMeter, ["recv", String(port), String(skipMs), String(measureMs)]);
  const done = finished(receiver);
  await waitReady(receiver);
  const sender = spawnNodeInNs(senderNs, tcpMeter, ["send", dst, String(port), String(skipMs + measureMs + 500)]);
  const sent = finished(sender);
  const out = await done;
  await sent;
  const line = out.stdout.trim().split("\n").pop() ?? "{}";
  const { bitsPerSec } = JSON.parse(line) as { bitsPerSec?: number };
  if (typeof bitsPerSec !== "number") throw new Error(`tcp-meter gave no result: ${out.stdout} ${out.stderr}`);
  return bitsPerSec;
}
