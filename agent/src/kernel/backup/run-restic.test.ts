/**
 * runRestic against a stand-in `restic` on PATH that reports the repository locked: the
 * run is tried again with `restic unlock` between tries, and fails BUSY once the wait is
 * over; other failures are not retried. (Real restic runs are in the backup root tests.)
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { runRestic, type ResticRepo } from "./run-restic";

let dir = "";
let oldPath = "";
const repo = (): ResticRepo => ({ repository: path.join(dir, "repo"), passwordFile: path.join(dir, "pw"), cacheDir: dir, options: [] });
const calls = () => fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n");

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-restic-"));
  // Locked for the first LOCKED_TRIES `check` runs; `unlock` always works; `cat` fails otherwise.
  fs.writeFileSync(
    path.join(dir, "restic"),
    `#!/bin/sh
echo "$*" >> "${dir}/calls"
case "$1" in
  unlock) exit 0 ;;
  check)
    n=$(grep -c '^check' "${dir}/calls")
    if [ "$n" -le "$(cat "${dir}/locked-tries")" ]; then
      echo 'unable to create lock in backend: repository is already locked by PID 4242 on vm by root (UID 0, GID 0)' >&2
      exit 1
    fi
    echo 'no errors were found'; exit 0 ;;
  *) echo 'Fatal: wrong password or no key found' >&2; exit 1 ;;
esac
`,
    { mode: 0o755 },
  );
  oldPath = process.env.PATH ?? "";
  process.env.PATH = `${dir}:${oldPath}`;
});

after(() => {
  process.env.PATH = oldPath;
  fs.rmSync(dir, { recursive: true, force: true });
});

function reset(lockedTries: number): void {
  fs.writeFileSync(path.join(dir, "calls"), "");
  fs.writeFileSync(path.join(dir, "locked-tries"), String(lockedTries));
}

test("a run that finds the repository locked is tried again, stale locks cleared between tries", async () => {
  reset(2);
  const r = await runRestic(repo(), ["check"]);
  assert.match(r.stdout, /no errors were found/);
  assert.deepEqual(calls(), ["check", "unlock", "check", "unlock", "check"]);
});

test("a lock that stays fails BUSY after the wait, naming the holder", async () => {
  reset(1000);
  await assert.rejects(runRestic(repo(), ["check"], { lockWaitMs: 700 }), (e: Error & { code?: string }) => {
    assert.equal(e.code, "BUSY");
    assert.match(e.message, /in use by another restic run.*locked by PID 4242/);
    return true;
  });
  assert.ok(calls().filter((c) => c === "check").length >= 2, "tried more than once");
});

test("other failures are not retried", async () => {
  reset(0);
  await assert.rejects(runRestic(repo(), ["cat", "config"]), /sealed password does not open/);
  assert.deepEqual(calls(), ["cat config"]);
});

test("lockWaitMs 0: one try only", async () => {
  reset(1);
  await assert.rejects(runRestic(repo(), ["check"], { lockWaitMs: 0 }), (e: Error & { code?: string }) => e.code === "BUSY");
  assert.deepEqual(calls(), ["check"]);
});
