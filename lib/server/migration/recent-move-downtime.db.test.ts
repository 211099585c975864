/**
 * The downtime the "Move to host…" control tells admins to expect: the median of what the
 * last finished moves recorded; moves that failed or recorded none (a stopped server's)
 * do not count; only admins may ask.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { refusal } from "@/lib/testing/refusal";
import { recentMoveDowntime } from "./recent-move-downtime";

let db: Db;

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
});

after(async () => {
  await db?.$disconnect();
});

const move = (state: "SUCCEEDED" | "FAILED", payload: Record<string, unknown>, finishedAt: Date) =>
  db.job.create({ data: { type: "server.migrate", state, payload: JSON.stringify({ targetHostId: "h", ...payload }), finishedAt } });

test("the median of the last moves' downtime per method; failed moves and moves without one do not count; admins only", async () => {
  assert.equal(await recentMoveDowntime(db, { role: "ADMIN" }), null, "none yet");
  const t = Date.now();
  await move("SUCCEEDED", { downtimeMs: 4000 }, new Date(t - 5000));
  assert.deepEqual(await recentMoveDowntime(db, { role: "ADMIN" }), { medianMs: 4000, moves: 1 });
  await move("SUCCEEDED", { downtimeMs: 9000 }, new Date(t - 4000));
  await move("SUCCEEDED", { downtimeMs: 5000 }, new Date(t - 3000));
  await move("FAILED", { downtimeMs: 60_000 }, new Date(t - 2000));
  await move("SUCCEEDED", {}, new Date(t - 1000)); // a stopped server's move: no downtime
  assert.deepEqual(await recentMoveDowntime(db, { role: "ADMIN" }), { medianMs: 5000, moves: 3 });
  assert.deepEqual(await recentMoveDowntime(db, { role: "ADMIN" }, "offline", 2), { medianMs: 7000, moves: 2 }, "the last two: 9 s and 5 s");
  assert.equal(await recentMoveDowntime(db, { role: "ADMIN" }, "precopy"), null, "no pre-copy move yet");
  await move("SUCCEEDED", { downtimeMs: 800, movedBy: "precopy" }, new Date(t - 500));
  assert.deepEqual(await recentMoveDowntime(db, { role: "ADMIN" }, "precopy"), { medianMs: 800, moves: 1 }, "pre-copy moves apart");
  assert.deepEqual(await recentMoveDowntime(db, { role: "ADMIN" }, "offline"), { medianMs: 5000, moves: 3 }, "offline moves unchanged by it");
  for (const role of ["SUPPORT", "RESELLER", "CUSTOMER"] as const) {
    assert.equal((await refusal(recentMoveDowntime(db, { role }))).code, "FORBIDDEN", role);
  }
});
