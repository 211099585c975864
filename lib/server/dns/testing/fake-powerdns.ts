/**
 * A stand-in for PowerDNS's HTTP API in the authorization matrices, where what is
 * tested is who may call, not DNS: every zone exists (empty), every change is accepted.
 * One per process, started on first use on loopback and unref'd so it never holds a test
 * process open. The real thing is tested in reverse-dns-powerdns.db.test.ts.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "@/lib/db/client";
import { writePowerDnsSettings } from "../powerdns-settings";

let started: Promise<string> | null = null;

function start(): Promise<string> {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      req.resume();
      const zone = decodeURIComponent((req.url ?? "").split("/zones/")[1] ?? "");
      if (req.method === "GET") res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name: zone, rrsets: [] }));
      else if (req.method === "POST") res.writeHead(201, { "content-type": "application/json" }).end("{}");
      else res.writeHead(204).end();
    });
    server.listen(0, "127.0.0.1", () => {
      server.unref();
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

/** Points the panel's reverse-DNS settings at the fake (started once). */
export async function pointAtFakePowerDns(db: Db): Promise<void> {
  started ??= start();
  await writePowerDnsSettings(db, { url: await started, serverId: "localhost", apiKey: "fake-key" });
}
