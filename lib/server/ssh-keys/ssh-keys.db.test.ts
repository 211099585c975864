/**
 * Account SSH keys on a real database: a good key is stored with ssh-keygen's
 * fingerprint, bad keys are refused naming the field and the reason, a key is the
 * owner's alone (another user's id is "not found" for deleting and choosing), and
 * the same key twice is refused.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { addSshKey } from "./add-ssh-key";
import { chosenSshKeys } from "./chosen-ssh-keys";
import { deleteSshKey } from "./delete-ssh-key";
import { listSshKeys } from "./list-ssh-keys";

let dir = "";
let alice: Actor;
let bob: Actor;
let made = 0;

function keyPair(type: string, bits?: number): { line: string; fingerprint: string } {
  const file = path.join(dir, `k${made++}`);
  execFileSync("ssh-keygen", ["-q", "-t", type, ...(bits ? ["-b", String(bits)] : []), "-N", "", "-C", "x", "-f", file]);
  return { line: fs.readFileSync(`${file}.pub`, "utf8"), fingerprint: execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", `${file}.pub`], { encoding: "utf8" }).split(" ")[1]! };
}

const session = (userId: string, role: Actor["role"]): Actor => ({ userId, role, via: "session", ip: null, userAgent: null });

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-sshkeys-db-"));
  await migrate(databaseTarget());
  const suffix = Date.now().toString(36);
  const a = await db().user.create({ data: { email: `keys-a-${suffix}@example.com`, role: "CUSTOMER", passwordHash: "x" } });
  const b = await db().user.create({ data: { email: `keys-b-${suffix}@example.com`, role: "RESELLER", passwordHash: "x" } });
  alice = session(a.id, "CUSTOMER");
  bob = session(b.id, "RESELLER");
});
after(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await db().$disconnect();
});

test("a key is stored with ssh-keygen's SHA256 fingerprint and its name, and listed only to its owner", async () => {
  const k = keyPair("ed25519");
  const added = await addSshKey(db(), alice, { name: "my laptop", publicKey: k.line });
  assert.equal(added.fingerprint, k.fingerprint);
  const mine = await listSshKeys(db(), alice);
  assert.deepEqual(mine.map((x) => [x.name, x.type, x.bits, x.fingerprint]), [["my laptop", "ssh-ed25519", 256, k.fingerprint]]);
  assert.equal((await listSshKeys(db(), bob)).length, 0);
  const row = await db().sshKey.findUniqueOrThrow({ where: { id: added.id } });
  assert.equal(row.publicKey, `${k.line.split(" ").slice(0, 2).join(" ")} my_laptop`);
});

test("bad keys are refused as BAD_REQUEST naming publicKey and the reason; nothing is stored", async () => {
  const before = await db().sshKey.count({ where: { userId: alice.userId } });
  const rsa1024 = keyPair("rsa", 1024).line;
  for (const [publicKey, reason] of [
    [rsa1024, /1024 bits/],
    ["ssh-ed25519 not-base64!", /base64/],
    ["ssh-dss AAAAB3NzaC1kc3M=", /DSA/],
  ] as const) {
    await assert.rejects(addSshKey(db(), alice, { name: "bad", publicKey }), (e: unknown) => e instanceof AppError && e.code === "BAD_REQUEST" && e.field === "publicKey" && reason.test(e.message));
  }
  await assert.rejects(addSshKey(db(), alice, { name: "", publicKey: keyPair("ed25519").line }), (e: unknown) => e instanceof AppError && e.field === "name");
  assert.equal(await db().sshKey.count({ where: { userId: alice.userId } }), before);
});

test("the same key twice in one account is refused; another account may hold it", async () => {
  const k = keyPair("ecdsa", 256).line;
  await addSshKey(db(), alice, { name: "one", publicKey: k });
  await assert.rejects(addSshKey(db(), alice, { name: "two", publicKey: k }), (e: unknown) => e instanceof AppError && e.code === "CONFLICT" && e.field === "publicKey");
  await addSshKey(db(), bob, { name: "shared", publicKey: k });
});

test("another user's key cannot be deleted or chosen for a server (not found / refused naming sshKeyIds)", async () => {
  const k = await addSshKey(db(), alice, { name: "only-alice", publicKey: keyPair("rsa", 2048).line });
  await assert.rejects(deleteSshKey(db(), bob, k.id), (e: unknown) => e instanceof AppError && e.code === "NOT_FOUND");
  await assert.rejects(chosenSshKeys(db(), bob, [k.id]), (e: unknown) => e instanceof AppError && e.field === "sshKeyIds");
  const lines = await chosenSshKeys(db(), alice, [k.id, k.id]);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^ssh-rsa AAAA\S+ only-alice$/);
  await deleteSshKey(db(), alice, k.id);
  assert.equal(await db().sshKey.count({ where: { id: k.id } }), 0);
});

test("API tokens cannot add or delete keys", async () => {
  const viaToken: Actor = { ...alice, via: "token", tokenId: "t" };
  await assert.rejects(addSshKey(db(), viaToken, { name: "x", publicKey: keyPair("ed25519").line }), (e: unknown) => e instanceof AppError && e.code === "FORBIDDEN");
});
