/**
 * Traffic between test servers, generated inside them (busybox ping, the static
 * net-probe): who reaches whom, which datagrams arrive with which source, and TCP
 * goodput. Every address used belongs to a server the test built (or to the host side
 * of their links); nothing is sent anywhere else.
 */
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { binPath, type TempHost } from "../../testing/temp-host";
import { guestSh, type Ran } from "../../limits/testing/cli-host";

/** A command running inside a server: resolves `ready` on its "ready" line. */
export function inGuest(host: TempHost, name: string, argv: string[]): { ready: Promise<void>; done: Promise<Ran> } {
  const child = spawn(binPath("vserver"), [name, "exec", ...argv], { env: host.env, stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
  let out = "";
  let err = "";
  let onReady = (): void => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    if (out.includes("ready\n")) onReady();
  });
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const done = new Promise<Ran>((resolve) => child.on("close", (code) => resolve({ code: code ?? -1, out, err })));
  const readyOrEnded = Promise.race([ready, done.then(() => Promise.reject(new Error(`${argv.join(" ")} in ${name} ended early: ${out} ${err}`)))]);
  // Commands that never print "ready" end normally; only a caller that waits for it hears of that.
  readyOrEnded.catch(() => undefined);
  return { ready: readyOrEnded, done };
}

/** One ping (ping6 for IPv6) from inside `name`; true on a reply. */
export function pings(host: TempHost, name: string, target: string, waitSec = 2): boolean {
  const tool = target.includes(":") ? "ping6" : "ping";
  return guestSh(host, name, `${tool} -c 1 -W ${waitSec} ${target} >/dev/null 2>&1`).code === 0;
}

/** A datagram to send: from server `via`, with source `src` (bound, or forged with `spoof`). */
export interface Datagram {
  via: string;
  how: "send" | "spoof";
  src: string;
  tag: string;
}

function randomPort(): number {
  return 20000 + Math.floor(Math.random() * 20000);
}

/**
 * Listens in `receiver` on `dst`'s port, sends the datagrams to `dst` (one exec per run
 * of datagrams from the same server), then ends the listener with a datagram the
 * receiver sends itself (delivered locally, after the others on the same socket queue
 * only if they came at all); returns "SRC TAG" of those that arrived.
 */
export async function datagramsArriving(host: TempHost, receiver: string, dst: string, datagrams: Datagram[]): Promise<string[]> {
  const port = randomPort();
  const listener = inGuest(host, receiver, ["/bin/net-probe", "listen", String(port), "20000"]);
  await listener.ready;
  for (let i = 0; i < datagrams.length; ) {
    const via = datagrams[i]!.via;
    const run: string[] = [];
    for (; i < datagrams.length && datagrams[i]!.via === via; i++) {
      const d = datagrams[i]!;
      run.push(`/bin/net-probe ${d.how} ${d.src} ${dst} ${port} ${d.tag}`);
    }
    guestSh(host, via, run.join("; "));
  }
  // Whatever was sent has crossed two veths by now; a short grace for the slowest path.
  await sleep(200);
  guestSh(host, receiver, `/bin/net-probe send ${dst} ${dst} ${port} end`);
  const r = await listener.done;
  return r.out.split("\n").filter((l) => l.startsWith("from ")).map((l) => l.slice(5));
}

/** TCP goodput in bits/s from server `sender` to `dst` (an address of `receiver`). */
export async function goodput(host: TempHost, sender: string, receiver: string, dst: string): Promise<number> {
  const port = randomPort();
  const rx = inGuest(host, receiver, ["/bin/net-probe", "recv", String(port), "1000", "3000"]);
  await rx.ready;
  await sleep(50);
  const tx = inGuest(host, sender, ["/bin/net-probe", "blast", dst, String(port), "4500"]);
  const r = await rx.done;
  await tx.done;
  const bits = Number(/^bits_per_sec (\d+)$/m.exec(r.out)?.[1] ?? NaN);
  if (Number.isNaN(bits)) throw new Error(`no measurement: ${r.out} ${r.err}`);
  return bits;
}
