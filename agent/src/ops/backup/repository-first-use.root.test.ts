/**
 * A target's first use by two operations at once, against Debian's restic: a backup
 * opening the repository while the weekly check of the new target starts (the panel's
 * schedule makes that check as soon as the target is registered) make one repository,
 * which both then use and `restic check` finds clean. Without the target's lock both ran
 * `restic init` and the repository answered "config or key … is damaged" from then on.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { HostPaths } from "@/agent/src/config/paths";
import { runRestic } from "@/agent/src/kernel/backup/run-restic";
import { checkBackupTarget } from "./check-backup-target";
import { openRepository } from "./repository";

let base = "";
const saved = process.env.VSERVER_BACKUP_DIR;

/** Fresh host directories with an untouched default local target. */
function freshHost(name: string): HostPaths {
  const dir = path.join(base, name);
  const paths = { confDir: path.join(dir, "conf"), rootDir: path.join(dir, "roots"), runDir: path.join(dir, "run") };
  for (const d of Object.values(paths)) fs.mkdirSync(d, { recursive: true });
  process.env.VSERVER_BACKUP_DIR = path.join(dir, "repo");
  return paths;
}

describe("a backup target's repository, first used twice at once", () => {
  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), "vst-bk-firstuse-"));
  });
  after(() => {
    if (saved === undefined) delete process.env.VSERVER_BACKUP_DIR;
    else process.env.VSERVER_BACKUP_DIR = saved;
    if (base) fs.rmSync(base, { recursive: true, force: true });
  });

  it("is made once: the open and the check both succeed and the repository checks clean (4 fresh targets)", async () => {
    // Unlocked, 6 of 8 such pairs broke the repository here: 4 rounds fail almost surely without the lock.
    for (let round = 0; round < 4; round++) {
      const paths = freshHost(`round-${round}`);
      const results = await Promise.allSettled([openRepository(paths, "local", { unlock: true }), checkBackupTarget(paths, "local")]);
      const errors = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as Error).message] : []));
      assert.deepEqual(errors, [], `round ${round}`);
      const repo = await openRepository(paths, "local");
      const check = await runRestic(repo, ["check"]);
      assert.match(check.stdout, /no errors were found/, `round ${round}`);
      assert.equal(fs.readdirSync(path.join(base, `round-${round}`, "repo", "keys")).length, 2, "restic's key and one light key");
    }
  });
});
