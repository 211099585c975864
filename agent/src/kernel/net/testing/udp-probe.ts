/**
 * A tiny UDP probe run inside test namespaces (never in a real vserver):
 *   listen PORT                         print "ready"; on SIGTERM print a JSON list of
 *                                       { from, tag } for every datagram received
 *   send PORT [TAG SRC DST]...          for each triple, bind to SRC and send TAG to DST
 *                                       three times; a failure to bind is reported, not fatal
 * Datagrams, not pings: whether a forged packet arrived can only be told at the receiver.
 */
import dgram from "node:dgram";
import { isIPv6 } from "node:net";

async function listen(port: number): Promise<void> {
  const socket = dgram.createSocket({ type: "udp6", ipv6Only: false });
  const seen: { from: string; tag: string }[] = [];
  socket.on("message", (msg, rinfo) => {
    seen.push({ from: rinfo.address.replace(/^::ffff:/, ""), tag: msg.toString() });
  });
  await new Promise<void>((resolve) => socket.bind(port, "::", resolve));
  process.stdout.write("ready\n");
  // Stopped by the test once every sender has finished (plus a grace period), so a slow
  // sender start cannot make a datagram arrive "too late".
  process.once("SIGTERM", () => {
    process.stdout.write(JSON.stringify(seen) + "\n");
    socket.close();
  });
}

async function sendOne(port: number, tag: string, src: string, dst: string): Promise<void> {
  const socket = dgram.createSocket(isIPv6(src) ? "udp6" : "udp4");
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(0, src, () => resolve());
    });
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => socket.send(tag, port, dst, (e) => (e ? reject(e) : resolve())));
    }
  } catch (error) {
    process.stderr.write(`${tag}: ${String(error)}\n`);
  } finally {
    socket.close();
  }
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === "listen") {
  await listen(Number(rest[0]));
} else if (mode === "send") {
  const port = Number(rest[0]);
  for (let i = 1; i + 2 < rest.length; i += 3) await sendOne(port, rest[i]!, rest[i + 1]!, rest[i + 2]!);
} else {
  process.stderr.write("usage: udp-probe listen PORT | send PORT [TAG SRC DST]...\n");
  process.exit(2);
}
