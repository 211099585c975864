/**
 * pruneBackups: a retention (restic `forget --keep-*`) over one server's snapshots (only
 * those tagged with its name and owner; grouped by host so all of them are one group),
 * then `--prune`. All counts 0 forgets every snapshot of the server (restic refuses
 * forget without a policy, so they are named one by one) — what the panel does when a
 * terminated server's grace period ends.
 */
import type { BackupRetention } from "@/lib/protocol/backups";
import type { HostPaths } from "../../config/paths";
import { runRestic } from "../../kernel/backup/run-restic";
import { openRepository } from "./repository";
import { ownerTags, removeFigures, resticSnapshots } from "./snapshots";

/** What a prune removed and kept. */
export interface PruneResult {
  removed: string[];
  kept: number;
}

/** Applies `retention` to server `name` (owner `owner`) on `target`. */
export async function pruneBackups(paths: HostPaths, target: string, name: string, owner: string, retention: BackupRetention): Promise<PruneResult> {
  const repo = await openRepository(paths, target, { unlock: true });
  const before = await resticSnapshots(repo, { name, owner });
  if (before.length === 0) return { removed: [], kept: 0 };
  const keep: [string, number][] = [
    ["--keep-last", retention.keepLast],
    ["--keep-daily", retention.keepDaily],
    ["--keep-weekly", retention.keepWeekly],
    ["--keep-monthly", retention.keepMonthly],
  ];
  const policy = keep.filter(([, n]) => n > 0).flatMap(([flag, n]) => [flag, String(n)]);
  if (policy.length === 0) {
    await runRestic(repo, ["forget", "--prune", ...before.map((s) => s.id)]);
  } else {
    await runRestic(repo, ["forget", "--prune", "--group-by", "host", "--tag", ownerTags(name, owner).join(","), ...policy]);
  }
  const after = new Set((await resticSnapshots(repo, { name, owner })).map((s) => s.id));
  const removed = before.filter((s) => !after.has(s.id)).map((s) => s.id);
  for (const id of removed) removeFigures(paths, target, id);
  return { removed, kept: after.size };
}
