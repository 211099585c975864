/**
 * A real PowerDNS for tests: Debian's pdns_server with the gsqlite3 backend on a fresh
 * database (the schema Debian ships), its HTTP API and its DNS on 127.0.0.1 at free
 * ports, in a /tmp/vst-pdns-* directory. `stop()` ends the process and removes the
 * directory; callers put it in `after` so a failing test leaves nothing behind.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import dgram from "node:dgram";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";

const run = promisify(execFile);

/** Where Debian puts the gsqlite3 schema (the doc copy, or the package's own share dir). */
const schemaPaths = ["/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql", "/usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql"];

/** A running PowerDNS. */
export interface LoopbackPowerDns {
  /** The API's base URL (http://127.0.0.1:PORT). */
  url: string;
  apiKey: string;
  serverId: "localhost";
  /** The DNS port on 127.0.0.1 (UDP and TCP). */
  dnsPort: number;
  /** Asks PowerDNS for the PTR of `address` with `dig -x`; the names answered (no trailing dot). */
  digReverse(address: string): Promise<string[]>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/** A port free for both TCP and UDP on 127.0.0.1 (asked of the kernel). */
async function freePort(udpToo: boolean): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer();
      s.once("error", reject);
      s.listen(0, "127.0.0.1", () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    if (!udpToo) return port;
    const udpFree = await new Promise<boolean>((resolve) => {
      const u = dgram.createSocket("udp4");
      u.once("error", () => resolve(false));
      u.bind(port, "127.0.0.1", () => u.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

async function waitForApi(url: string, apiKey: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`pdns_server exited (${child.exitCode}): ${log()}`);
    try {
      const r = await fetch(`${url}/api/v1/servers/localhost`, { headers: { "X-API-Key": apiKey }, signal: AbortSignal.timeout(1000) });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`pdns_server's API did not come up: ${log()}`);
}

/** Starts PowerDNS on loopback. */
export async function startLoopbackPowerDns(): Promise<LoopbackPowerDns> {
  const schema = schemaPaths.find((p) => fs.existsSync(p));
  if (!schema) throw new Error(`pdns-backend-sqlite3's schema is missing (looked in ${schemaPaths.join(", ")}); scripts/bootstrap.mjs --test installs it`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-pdns-"));
  const dbFile = path.join(dir, "pdns.sqlite3");
  const sqlite = new Database(dbFile);
  sqlite.exec(fs.readFileSync(schema, "utf8"));
  sqlite.close();
  const apiKey = crypto.randomBytes(18).toString("base64url");
  const [dnsPort, apiPort] = [await freePort(true), await freePort(false)];
  const conf = [
    "launch=gsqlite3",
    `gsqlite3-database=${dbFile}`,
    "local-address=127.0.0.1",
    `local-port=${dnsPort}`,
    "api=yes",
    `api-key=${apiKey}`,
    "webserver=yes",
    "webserver-address=127.0.0.1",
    `webserver-port=${apiPort}`,
    "webserver-allow-from=127.0.0.1/32",
    `socket-dir=${dir}`,
    "guardian=no",
    "daemon=no",
    "write-pid=no",
    "disable-syslog=yes",
    "loglevel=4",
    // No caches: a test asks right after each change and must see it.
    "cache-ttl=0",
    "query-cache-ttl=0",
    "negquery-cache-ttl=0",
    "zone-cache-refresh-interval=0",
  ];
  fs.writeFileSync(path.join(dir, "pdns.conf"), conf.join("\n") + "\n");
  const child = spawn("/usr/sbin/pdns_server", [`--config-dir=${dir}`], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr!.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${apiPort}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(killer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForApi(url, apiKey, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    apiKey,
    serverId: "localhost",
    dnsPort,
    async digReverse(address) {
      const { stdout } = await run("dig", ["@127.0.0.1", "-p", String(dnsPort), "-x", address, "+short", "+time=2", "+tries=1"]);
      return stdout.split("\n").map((l) => l.trim().replace(/\.$/, "")).filter(Boolean);
    },
    stop,
  };
}
