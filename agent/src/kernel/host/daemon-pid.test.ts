/** Adopting a daemon from its pid file: the pid must still run that program with that argument. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pidRuns, readPidFile } from "./daemon-pid";

test("a pid file gives its pid; a missing, empty or nonsense one gives null", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-pidfile-"));
  try {
    const file = path.join(dir, "d.pid");
    assert.equal(readPidFile(file), null);
    for (const [text, want] of [["1234\n", 1234], ["", null], ["1", null], ["12ab", null], ["-5", null]] as const) {
      fs.writeFileSync(file, text);
      assert.equal(readPidFile(file), want, JSON.stringify(text));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a live process is ours only with the program and argument named; a dead one never", async () => {
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  const pid = child.pid!;
  try {
    assert.equal(pidRuns(pid, "sleep", "30"), true);
    assert.equal(pidRuns(pid, "sleep", "31"), false);
    assert.equal(pidRuns(pid, "lxcfs", "30"), false);
  } finally {
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
  }
  assert.equal(pidRuns(pid, "sleep", "30"), false);
});
