/**
 * Process identity (proc-stat.ts, run-state.ts's processAlive): a process that exited but
 * is not reaped yet (its parent never waits) is no longer running, though its pid and
 * start time are still in /proc.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { isZombie, readStartTime } from "./proc-stat";
import { processAlive } from "../../ops/runtime/run-state";

test("an exited child whose parent does not reap it is a zombie, not alive; a sleeping process is alive", async () => {
  // perl forks a child that exits at once and never waits for it (a shell may reap its background jobs by itself).
  const parent = spawn("perl", ["-e", '$| = 1; my $pid = fork(); exit 0 if $pid == 0; print "$pid\n"; sleep 5;'], { stdio: ["ignore", "pipe", "ignore"] });
  try {
    const pid = Number(await new Promise<string>((resolve) => parent.stdout.once("data", (d: Buffer) => resolve(d.toString().trim()))));
    let zombie = false;
    for (let i = 0; i < 200 && !zombie; i++) {
      zombie = isZombie(pid);
      if (!zombie) await sleep(10);
    }
    assert.ok(zombie, "the child became a zombie");
    const start = readStartTime(pid);
    assert.equal(processAlive(pid, start), false, "a zombie is not alive");
    assert.equal(isZombie(parent.pid!), false);
    assert.equal(processAlive(parent.pid!, readStartTime(parent.pid!)), true, "its sleeping parent is");
  } finally {
    parent.kill("SIGKILL");
  }
});
