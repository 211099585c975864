/**
 * `listProcesses` shows host processes (context 0) by name only unless the caller may
 * read their command lines: a host process started with a secret argument is listed as
 * "node" by default and with its arguments only when asked (what admins get). Kernel
 * threads keep their [name] either way. (Guest processes always keep their command
 * lines: e2e/processes/host-arguments.spec.ts shows that on a real server.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { listProcesses } from "./list-processes";

test("host processes show their name only, unless command lines are asked for", async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-procs-"));
  const secret = `vst-secret-${crypto.randomBytes(6).toString("hex")}`;
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 600000)", secret], { stdio: "ignore" });
  t.after(() => {
    child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  const paths = { confDir: dir, rootDir: dir, runDir: dir };

  const plain = await listProcesses(paths);
  const mine = plain.find((p) => p.pid === child.pid);
  assert.ok(mine, "the child is listed");
  assert.equal(mine.context, 0);
  assert.equal(mine.command, "node", "its name, from the kernel");
  assert.ok(!plain.some((p) => p.command.includes(secret)), "no row carries the argument");
  assert.equal(plain.find((p) => p.pid === 2)?.command, "[kthreadd]", "a kernel thread keeps its [name]");

  const full = await listProcesses(paths, undefined, { hostCommandLines: true });
  const row = full.find((p) => p.pid === child.pid);
  assert.ok(row?.command.endsWith(` ${secret}`), row?.command);
  assert.equal(full.find((p) => p.pid === 2)?.command, "[kthreadd]");
});
