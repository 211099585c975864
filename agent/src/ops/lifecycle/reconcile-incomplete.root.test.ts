/**
 * A build that died half-way (its agent killed while an unpacker it had started still
 * held the server's lock for a moment) is removed when the next agent starts: once the
 * lock is free, not skipped as "a build in progress". A build whose builder is alive (a
 * CLI building right now) is left alone. Found by the kill -9 test of migrations: a target
 * agent killed during unpacking left a half-built server on its host for good.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { lockDir } from "../../config/vserver/layout";
import { makeTempHost } from "../testing/temp-host";
import { isLocked } from "../locks";
import { reconcileHost } from "./reconcile-host";

/** A config directory as a build leaves it half-way, its marker naming `pid` as the builder. */
function halfBuilt(confDir: string, name: string, pid: number): void {
  fs.mkdirSync(path.join(confDir, name), { recursive: true });
  fs.writeFileSync(path.join(confDir, name, ".build-incomplete"), `${pid}\n`);
}

test("a dead builder's half-built server goes once a leftover holder lets go of its lock; a live builder's stays", async () => {
  const host = makeTempHost();
  try {
    halfBuilt(host.paths.confDir, "half", 999_999_999); // no such process: the builder died
    halfBuilt(host.paths.confDir, "building", process.pid); // a builder that runs (this process)
    fs.mkdirSync(lockDir(host.paths), { recursive: true, mode: 0o700 });
    // The leftover: a process holding each server's lock for 1.5 s, as an unpacker would.
    // Each writes a file just before it lets go, so the test knows the reconciler waited.
    const holders = ["half", "building"].map((n) => spawn("flock", ["-x", path.join(lockDir(host.paths), `${n}.lock`), "sh", "-c", `sleep 1.5; touch ${host.paths.runDir}/${n}.released`], { stdio: "ignore" }));
    for (let i = 0; i < 100 && !(isLocked(host.paths, "half") && isLocked(host.paths, "building")); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(isLocked(host.paths, "half") && isLocked(host.paths, "building"), "both locks are held");
    const report = await reconcileHost(host.paths);
    assert.deepEqual(report.removedIncomplete, ["half"], JSON.stringify(report));
    assert.ok(fs.existsSync(path.join(host.paths.runDir, "half.released")), "it waited for the leftover to let go of the lock");
    assert.ok(!fs.existsSync(path.join(host.paths.confDir, "half")), "the dead build is gone");
    assert.ok(fs.existsSync(path.join(host.paths.confDir, "building", ".build-incomplete")), "the live build is left alone");
    await Promise.all(holders.map((h) => new Promise((r) => (h.exitCode !== null ? r(null) : h.once("exit", r)))));
  } finally {
    await host.cleanup();
  }
});
