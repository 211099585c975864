/**
 * `npm run admin` takes passwords from anywhere but the command line, run as the
 * operator runs it (a child process on the test's database): `--password P` is refused
 * with the reason and creates nothing; standard input, an environment variable and the
 * terminal prompt (a real pty: not echoed, asked twice, a mismatch changes nothing) set
 * the password, which the process's /proc/PID/cmdline never shows.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import * as pty from "node-pty";
import { db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { verifyPassword } from "@/lib/security/password";

const root = path.resolve(import.meta.dirname, "..");
const cli = [process.execPath, "--import", "tsx", path.join(root, "scripts", "admin.ts")] as const;
const email = (what: string) => `cli-${what}-${crypto.randomBytes(3).toString("hex")}@example.com`;
const secret = () => `cli-secret-${crypto.randomBytes(8).toString("hex")}`;

before(async () => {
  await migrate(databaseTarget());
});
after(async () => {
  await db().$disconnect();
});

/** Waits for a child's exit; returns its status and output. */
function finished(child: ChildProcess): Promise<{ code: number | null; out: string; err: string }> {
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, out, err })));
}

function cmdline(pid: number): string {
  return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
}

async function passwordOf(address: string): Promise<string | null> {
  return (await db().user.findUnique({ where: { email: address } }))?.passwordHash ?? null;
}

test("a password on the command line is refused with the reason, and nothing is created", async () => {
  for (const form of [["--password", secret()], [`--password=${secret()}`]]) {
    const address = email("argv");
    const child = spawn(cli[0], [...cli.slice(1), "user", "create", "--email", address, "--role", "ADMIN", ...form], { stdio: ["ignore", "pipe", "pipe"] });
    const result = await finished(child);
    assert.equal(result.code, 2, result.err);
    assert.match(result.err, /--password on the command line is refused: any user of this machine can read it in the process list/);
    assert.match(result.err, /--password-stdin/);
    assert.equal(await passwordOf(address), null, "no user");
  }
});

test("from standard input: the user is created with that password, which its command line never shows", async () => {
  const address = email("stdin");
  const password = secret();
  const child = spawn(cli[0], [...cli.slice(1), "user", "create", "--email", address, "--role", "SUPPORT", "--password-stdin"], { stdio: ["pipe", "pipe", "pipe"] });
  const done = finished(child);
  await new Promise((r) => child.once("spawn", r));
  // The CLI waits for standard input to end: its command line is readable meanwhile.
  const seen = cmdline(child.pid!);
  assert.match(seen, /--password-stdin/);
  assert.ok(!seen.includes(password));
  child.stdin!.end(`${password}\n`);
  const result = await done;
  assert.equal(result.code, 0, result.err);
  assert.match(result.out, new RegExp(`created support ${address}`));
  assert.ok(!result.out.includes(password), "not printed either");
  assert.ok(await verifyPassword(password, (await passwordOf(address))!));
});

test("from an environment variable: reset-password sets it; the command line names only the variable", async () => {
  const address = email("env");
  await db().user.create({ data: { email: address, role: "CUSTOMER", passwordHash: "x" } });
  const password = secret();
  const child = spawn(cli[0], [...cli.slice(1), "user", "reset-password", "--email", address, "--password-env", "ADMIN_PASSWORD"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ADMIN_PASSWORD: password },
  });
  const done = finished(child);
  await new Promise((r) => child.once("spawn", r));
  assert.ok(!cmdline(child.pid!).includes(password));
  const result = await done;
  assert.equal(result.code, 0, result.err);
  assert.ok(!result.out.includes(password));
  assert.ok(await verifyPassword(password, (await passwordOf(address))!));

  const missing = await finished(spawn(cli[0], [...cli.slice(1), "user", "reset-password", "--email", address, "--password-env", "VST_NOT_SET"], { stdio: ["ignore", "pipe", "pipe"] }));
  assert.equal(missing.code, 2);
  assert.match(missing.err, /VST_NOT_SET is not set or empty/);
  assert.ok(await verifyPassword(password, (await passwordOf(address))!), "unchanged");
});

/** Runs the CLI on a pty, answering each prompt that appears with the next answer. */
async function onTerminal(args: string[], answers: string[]): Promise<{ code: number; screen: string }> {
  const term = pty.spawn(cli[0], [...cli.slice(1), ...args], { cols: 120, rows: 30, cwd: root, env: process.env as Record<string, string> });
  let screen = "";
  let asked = 0;
  term.onData((d) => {
    screen += d;
    const prompts = screen.match(/password(?: \(not shown[^)]*\))?: |again: /gi)?.length ?? 0;
    while (asked < prompts && asked < answers.length) term.write(`${answers[asked++]}\r`);
  });
  const code = await new Promise<number>((resolve) => term.onExit((e) => resolve(e.exitCode)));
  return { code, screen };
}

test("on a terminal: asked twice and not shown; two different answers change nothing", async () => {
  const address = email("tty");
  const password = secret();
  const ok = await onTerminal(["user", "create", "--email", address, "--role", "RESELLER"], [password, password]);
  assert.equal(ok.code, 0, ok.screen);
  assert.match(ok.screen, /New password \(not shown; empty to generate one\): /);
  assert.match(ok.screen, /The same password again: /);
  assert.ok(!ok.screen.includes(password), `not echoed:\n${ok.screen}`);
  assert.ok(await verifyPassword(password, (await passwordOf(address))!));

  const other = email("tty-differ");
  const differ = await onTerminal(["user", "create", "--email", other, "--role", "RESELLER"], [secret(), secret()]);
  assert.equal(differ.code, 2, differ.screen);
  assert.match(differ.screen, /the two passwords differ; nothing was changed/);
  assert.equal(await passwordOf(other), null);
});
