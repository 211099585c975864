/**
 * A host that stops answering is seen by several probers at once: the host monitor of
 * every panel instance and the reconciler, each with the status it read before its probe.
 * The change is one event, not one per prober (issue 17: background work once across
 * instances).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { recordHostReachability } from "./observed-events";

let db: Db;
let hostId = "";

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
  const host = await db.host.create({
    data: { name: `once-${crypto.randomBytes(3).toString("hex")}`, endpoint: "http://127.0.0.1:9", status: "ONLINE", credentialHash: "x", credentialCiphertext: "x" },
  });
  hostId = host.id;
});

after(async () => {
  await db.event.deleteMany({ where: { hostId } });
  await db.host.delete({ where: { id: hostId } });
  await db.$disconnect();
});

test("probers that all read the host online and all find it down record one host.offline event; coming back is one host.online", async () => {
  const seenBefore = { id: hostId, status: "ONLINE" as const };
  await Promise.all(Array.from({ length: 4 }, () => recordHostReachability(db, seenBefore, false)));
  assert.equal((await db.host.findUniqueOrThrow({ where: { id: hostId } })).status, "OFFLINE");
  assert.equal(await db.event.count({ where: { hostId, type: "host.offline" } }), 1);

  const seenOffline = { id: hostId, status: "OFFLINE" as const };
  await Promise.all(Array.from({ length: 4 }, () => recordHostReachability(db, seenOffline, true)));
  const back = await db.host.findUniqueOrThrow({ where: { id: hostId } });
  assert.equal(back.status, "ONLINE");
  assert.ok(back.lastSeenAt, "every answering probe still stamps the host as seen");
  assert.equal(await db.event.count({ where: { hostId, type: "host.online" } }), 1);
});
