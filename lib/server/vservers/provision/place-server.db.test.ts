/**
 * Placement counts swap: a host's sold memory is its servers' memory plus their swap,
 * and a new server needs room for both (on a real database).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { AppError } from "@/lib/errors";
import { placeServer } from "./place-server";

let db: Db;

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
});
after(async () => {
  await db?.$disconnect();
});

test("a host full of memory plus swap takes no server that needs either", async () => {
  const tag = crypto.randomBytes(3).toString("hex");
  const host = await db.host.create({ data: { name: `swap-${tag}`, endpoint: "unix:/nonexistent", credentialHash: "x", credentialCiphertext: "x", status: "ONLINE", cpuCores: 8, memoryMb: 1024, maxServers: 10 } });
  const owner = await db.user.create({ data: { email: `swap-${tag}@place.test`, role: "CUSTOMER", passwordHash: "x" } });
  await db.vServer.create({ data: { name: `swap-${tag}`, contextId: 4242, hostname: "s.place.test", hostId: host.id, ownerId: owner.id, cpuMilli: 100, memoryMb: 256, swapMb: 512, diskMb: 64, pids: 64 } });
  // 256 + 512 of 1024 sold: 256 left.
  const need = { cpuMilli: 100, ipv4: 0, ipv6: 0 };
  assert.equal(await placeServer(db, { ...need, memoryMb: 256, swapMb: 0 }, host.id), host.id);
  await assert.rejects(placeServer(db, { ...need, memoryMb: 128, swapMb: 256 }, host.id), (e: unknown) => e instanceof AppError && e.code === "CONFLICT" && e.field === "hostId");
  await assert.rejects(placeServer(db, { ...need, memoryMb: 512, swapMb: 0 }, host.id), (e: unknown) => e instanceof AppError && e.code === "CONFLICT");
});
