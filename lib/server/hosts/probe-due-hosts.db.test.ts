/**
 * The background monitor across panel instances (issue 17, "background work done once
 * across instances"): two instances' passes at the same moment probe each host once
 * between them, never twice; a pass within the period probes nothing; a period later
 * every host is due again for whichever instance comes first (a dead instance's hosts
 * are not lost); the next due times are spread up to a tenth of the period early; a slow
 * host's probe holds no other host's and is not started twice by the same instance.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { claimDueProbes } from "./claim-due-probes";
import { probeDueHosts } from "./probe-due-hosts";
import type { ProbeResult } from "./probe-host";

let db: Db;
const tag = crypto.randomBytes(3).toString("hex");
const hostIds: string[] = [];
const period = 30_000;

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
  for (let i = 0; i < 5; i++) {
    const h = await db.host.create({ data: { name: `probe-${tag}-${i}`, endpoint: "http://127.0.0.1:9", status: "ONLINE", credentialHash: "x", credentialCiphertext: "x" } });
    hostIds.push(h.id);
  }
});

after(async () => {
  await db.host.deleteMany({ where: { id: { in: hostIds } } });
  await db.$disconnect();
});

/** A probe that counts its calls per host and answers online. */
function countingProbe(calls: Map<string, number>, delayMs = 0) {
  return async (_db: Db, hostId: string): Promise<ProbeResult> => {
    calls.set(hostId, (calls.get(hostId) ?? 0) + 1);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    return { online: true, latencyMs: 1 };
  };
}

const ours = (ids: string[]) => ids.filter((id) => hostIds.includes(id)).sort();

describe("host probes shared by panel instances", () => {
  test("two instances' passes at once probe each host exactly once between them", async () => {
    const calls = new Map<string, number>();
    const mirrored: string[] = [];
    const opts = { everyMs: period, probe: countingProbe(calls, 20), mirrorTemplates: async (_: Db, id: string) => mirrored.push(id) };
    const [a, b] = await Promise.all([probeDueHosts(db, opts), probeDueHosts(db, opts)]);
    assert.deepEqual(ours([...a, ...b]), [...hostIds].sort(), "every host was probed");
    assert.equal(ours(a).filter((id) => b.includes(id)).length, 0, "no host by both");
    for (const id of hostIds) assert.equal(calls.get(id), 1, `host ${id} probed once`);
    assert.deepEqual(ours(mirrored), [...hostIds].sort(), "online hosts get their templates mirrored");
  });

  test("within the period nothing is due; the next due times lie between 0.9 and 1 period on", async () => {
    const now = new Date();
    assert.deepEqual(ours(await claimDueProbes(db, period, now)), []);
    for (const h of await db.host.findMany({ where: { id: { in: hostIds } } })) {
      const ahead = h.probeDueAt!.getTime() - now.getTime();
      assert.ok(ahead > 0.9 * period - 5_000 && ahead <= period, `due ${ahead} ms ahead`);
    }
  });

  test("a period later every host is due again, claimed once by whichever instance asks first", async () => {
    const later = new Date(Date.now() + period + 1);
    const first = await claimDueProbes(db, period, later);
    const second = await claimDueProbes(db, period, later);
    assert.deepEqual(ours(first), [...hostIds].sort());
    assert.deepEqual(ours(second), []);
  });

  test("the spread: a random draw of 1 makes the next probe a tenth of the period early, of 0 a whole period", async () => {
    await db.host.updateMany({ where: { id: { in: hostIds } }, data: { probeDueAt: null } });
    const now = new Date();
    let i = 0;
    await claimDueProbes(db, period, now, () => (i++ % 2 === 0 ? 1 : 0));
    const ahead = (await db.host.findMany({ where: { id: { in: hostIds } }, orderBy: { probeDueAt: "asc" } })).map((h) => h.probeDueAt!.getTime() - now.getTime());
    assert.ok(ahead.some((ms) => ms === 0.9 * period) && ahead.some((ms) => ms === period), ahead.join(", "));
  });

  test("a host whose probe from this instance still runs is not probed again by it, nor claimed (it stays due for the next pass); others go on", async () => {
    await db.host.updateMany({ where: { id: { in: hostIds } }, data: { probeDueAt: null } });
    const calls = new Map<string, number>();
    const busy = new Set<string>([hostIds[0]!]);
    const probed = await probeDueHosts(db, { everyMs: period, busy, probe: countingProbe(calls), mirrorTemplates: async () => undefined });
    assert.equal(calls.get(hostIds[0]!), undefined, "the busy host is left to its running probe");
    assert.deepEqual(ours(probed), hostIds.slice(1).sort());
    assert.equal(busy.size, 1, "only the running probe is still marked");
    assert.equal((await db.host.findUniqueOrThrow({ where: { id: hostIds[0]! } })).probeDueAt, null, "the busy host was not claimed: still due");
  });
});
