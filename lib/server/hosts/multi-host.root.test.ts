/**
 * The multi-host bed (issue 16): three agents in network namespaces of their own, behind
 * a bridge, on TLS, enrolled in one panel. Each answers the panel over its own address
 * and builds and runs a server that says its own hostname from inside; a host whose
 * agent is killed (kill -9) is marked offline with one host.offline event, pages answer
 * about it at once without waiting, its server keeps running, and when its agent comes
 * back the host is online again (host.online) and the server is still there, running.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import type { Actor } from "@/lib/server/actor";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { probeHost } from "@/lib/server/hosts/probe-host";
import { readServerUsage } from "@/lib/server/vservers/read-usage";
import { settled } from "@/agent/src/ops/templates/testing/test-agent";
import { startMultiHostBed, type MultiHostBed } from "@/lib/server/testing/multi-host-bed";

let dir: string;
let db: Db;
let bed: MultiHostBed | undefined;
let admin: Actor;

async function hostRow(hostId: string) {
  return db.host.findUniqueOrThrow({ where: { id: hostId } });
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-bed-db-"));
  process.env.NEXTAUTH_SECRET = "b".repeat(48);
  process.env.DATABASE_URL = `file:${path.join(dir, "panel.db")}`;
  await migrate(databaseTarget());
  db = createDb();
  const a = await db.user.create({ data: { email: "bed-admin@bed.test", role: "ADMIN", passwordHash: "x" } });
  admin = { userId: a.id, role: "ADMIN", via: "cli", ip: null, userAgent: null };
  bed = await startMultiHostBed(db, admin);
});

after(async () => {
  await bed?.stop();
  await db?.$disconnect();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("three hosts on one machine", () => {
  test("each host is enrolled over TLS at its own address and answers the panel", async () => {
    assert.equal(bed!.hosts.length, 3);
    for (const h of bed!.hosts) {
      assert.match(h.endpoint, /^https:\/\/10\.251\.\d+\.1[123]:7443$/);
      const probe = await probeHost(db, h.hostId);
      assert.equal(probe.online, true, `${h.name} answers`);
      const row = await hostRow(h.hostId);
      assert.equal(row.status, "ONLINE");
      assert.ok(row.tlsCaPem?.includes("BEGIN CERTIFICATE"));
    }
    assert.equal(new Set(bed!.hosts.map((h) => h.address)).size, 3);
  });

  test("a server built on each host runs there and says its own name from inside", async () => {
    for (const [i, h] of bed!.hosts.entries()) {
      const agent = agentForHost(await hostRow(h.hostId), 30_000);
      const name = `vstbed${i}`;
      const { operationId } = await agent.createVserver({ name, hostname: `${name}.bed.test`, method: "busybox", startOnBoot: false, start: true });
      const op = await settled(agent, operationId);
      assert.equal(op.state, "succeeded", op.error?.message);
      const out = await agent.execInVserver({ name, argv: ["/bin/hostname"] });
      assert.equal(out.stdout.trim(), `${name}.bed.test`);
      // The other hosts do not have it: each host is its own.
      for (const other of bed!.hosts.filter((o) => o !== h)) {
        const list = await agentForHost(await hostRow(other.hostId), 30_000).listVservers({});
        assert.ok(!list.vservers.some((v) => v.name === name), `${name} is not on ${other.name}`);
      }
    }
  });

  test("a killed agent: the host goes offline, pages do not wait, its server runs on; back online when it returns", async () => {
    const h = bed!.hosts[2]!;
    await bed!.stopAgent(h, "SIGKILL");
    const probe = await probeHost(db, h.hostId, 1000);
    assert.equal(probe.online, false);
    assert.equal((await hostRow(h.hostId)).status, "OFFLINE");
    assert.equal(await db.event.count({ where: { hostId: h.hostId, type: "host.offline" } }), 1);
    const usage = await readServerUsage(db, { name: "vstbed2", hostId: h.hostId });
    assert.match(usage.error ?? "", /is offline/);

    await bed!.startAgent(h);
    assert.equal((await probeHost(db, h.hostId)).online, true);
    assert.equal(await db.event.count({ where: { hostId: h.hostId, type: "host.online" } }), 1);
    const info = await agentForHost(await hostRow(h.hostId), 30_000).getVserver({ name: "vstbed2" });
    assert.equal(info.state, "running", "the server ran on while its agent was gone");
  });
});
