/**
 * Throughput meter run inside test namespaces (never in a real vserver):
 *   recv PORT SKIP_MS MEASURE_MS   accept one connection, ignore the first SKIP_MS (TCP
 *                                  slow start), then print {"bitsPerSec": N} over MEASURE_MS
 *   send HOST PORT MS              connect and write as fast as the socket takes for MS
 * Application bytes are counted, so the result is a little under the shaped line rate
 * (Ethernet, IP and TCP headers: ~4.5% with 1500-byte frames).
 */
import net from "node:net";

function recv(port: number, skipMs: number, measureMs: number): void {
  const server = net.createServer((socket) => {
    let bytes = 0;
    let counting = false;
    socket.on("data", (chunk: Buffer) => {
      if (counting) bytes += chunk.length;
    });
    setTimeout(() => {
      counting = true;
      setTimeout(() => {
        process.stdout.write(JSON.stringify({ bitsPerSec: Math.round((bytes * 8 * 1000) / measureMs) }) + "\n");
        socket.destroy();
        server.close();
      }, measureMs);
    }, skipMs);
  });
  server.listen(port, "::", () => process.stdout.write("ready\n"));
}

function send(host: string, port: number, ms: number): void {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const socket = net.connect({ host, port }, () => {
    const end = Date.now() + ms;
    const pump = () => {
      while (Date.now() < end) {
        if (!socket.write(chunk)) return void socket.once("drain", pump);
      }
      socket.destroy();
    };
    pump();
  });
  socket.on("error", () => process.exit(0));
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === "recv") recv(Number(rest[0]), Number(rest[1]), Number(rest[2]));
else if (mode === "send") send(rest[0]!, Number(rest[1]), Number(rest[2]));
else {
  process.stderr.write("usage: tcp-meter recv PORT SKIP_MS MEASURE_MS | send HOST PORT MS\n");
  process.exit(2);
}
