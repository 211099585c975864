/**
 * The loaders that pages read through (lib/server/load.ts) authorize by the actor, as
 * writes do: staff-only lists refuse customers and resellers with a 404, a reseller's
 * quota and customers are its own, an account's servers only for those who may see it.
 * On a real database (the runner gives each file a fresh SQLite file and PostgreSQL database).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import type { RoleName } from "@/lib/auth/roles";
import { adminOverview } from "@/lib/server/admin/admin-overview";
import { listHostNames } from "@/lib/server/hosts/list-host-names";
import { countFailedJobs } from "@/lib/server/jobs/count-failed-jobs";
import { listJobs } from "@/lib/server/jobs/list-jobs";
import { readResellerQuota } from "@/lib/server/resellers/read-reseller-quota";
import { countOwnCustomers } from "@/lib/server/users/count-own-customers";
import { listOwnedServers } from "@/lib/server/users/list-owned-servers";
import { listResellerChoices } from "@/lib/server/users/list-reseller-choices";
import { listServerNames } from "@/lib/server/vservers/list-server-names";

let db: Db;
const tag = crypto.randomBytes(4).toString("hex");
const ids: Record<string, string> = {};

async function user(key: string, role: RoleName, resellerId?: string): Promise<string> {
  const row = await db.user.create({ data: { email: `${key}-${tag}@example.test`, passwordHash: "x", role, resellerId } });
  ids[key] = row.id;
  return row.id;
}

const as = (key: string, role: RoleName): Actor => ({ userId: ids[key]!, role, via: "session", ip: null, userAgent: null });

async function refused(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return false;
  } catch (e) {
    if (e instanceof AppError && e.code === "NOT_FOUND") return true;
    throw e;
  }
}

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
  await user("admin", "ADMIN");
  await user("support", "SUPPORT");
  const a = await user("resellerA", "RESELLER");
  await user("resellerB", "RESELLER");
  await user("customerA", "CUSTOMER", a);
  await user("customerB", "CUSTOMER", ids.resellerB);
  await db.resellerQuota.create({ data: { resellerId: a, maxServers: 3 } });
});
after(async () => {
  await db?.$disconnect();
});

test("staff-only lists answer admins and support and refuse resellers and customers", async () => {
  for (const loader of [listHostNames, listServerNames, countFailedJobs] as const) {
    assert.equal(await refused(loader(db, as("admin", "ADMIN"))), false, loader.name);
    assert.equal(await refused(loader(db, as("support", "SUPPORT"))), false, loader.name);
    assert.equal(await refused(loader(db, as("resellerA", "RESELLER"))), true, loader.name);
    assert.equal(await refused(loader(db, as("customerA", "CUSTOMER"))), true, loader.name);
  }
  assert.equal(await refused(listJobs(db, as("support", "SUPPORT"), { page: 1, failedOnly: false })), false);
  assert.equal(await refused(listJobs(db, as("customerA", "CUSTOMER"), { page: 1, failedOnly: true })), true);
});

test("the admin's overview and the reseller choices are the admin's alone", async () => {
  assert.equal(await refused(adminOverview(db, as("admin", "ADMIN"))), false);
  assert.equal(await refused(adminOverview(db, as("support", "SUPPORT"))), true);
  const choices = await listResellerChoices(db, as("admin", "ADMIN"));
  assert.ok(choices.some((r) => r.id === ids.resellerA) && choices.some((r) => r.id === ids.resellerB));
  assert.equal(await refused(listResellerChoices(db, as("resellerA", "RESELLER"))), true);
});

test("a reseller reads its own quota and customers, not another reseller's", async () => {
  assert.equal((await readResellerQuota(db, as("resellerA", "RESELLER"), ids.resellerA!))?.maxServers, 3);
  assert.equal((await readResellerQuota(db, as("admin", "ADMIN"), ids.resellerA!))?.maxServers, 3);
  assert.equal(await refused(readResellerQuota(db, as("resellerB", "RESELLER"), ids.resellerA!)), true);
  assert.equal(await refused(readResellerQuota(db, as("customerA", "CUSTOMER"), ids.resellerA!)), true);
  assert.equal(await countOwnCustomers(db, as("resellerA", "RESELLER")), 1);
  assert.equal(await countOwnCustomers(db, as("customerA", "CUSTOMER")), 0);
});

test("an account's servers are listed only to those who may see the account", async () => {
  assert.deepEqual(await listOwnedServers(db, as("resellerA", "RESELLER"), ids.customerA!), []);
  assert.deepEqual(await listOwnedServers(db, as("admin", "ADMIN"), ids.customerB!), []);
  assert.equal(await refused(listOwnedServers(db, as("resellerA", "RESELLER"), ids.customerB!)), true);
  assert.equal(await refused(listOwnedServers(db, as("customerA", "CUSTOMER"), ids.customerB!)), true);
});
