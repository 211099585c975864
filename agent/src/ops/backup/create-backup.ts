/**
 * `vserver NAME backup` and the API's createBackup: the server's root and configuration
 * into a target's repository, from a point-in-time view (point-in-time-view.ts). One
 * backup of a server at a time (its own lock); the server's lock is held only while the
 * view is made (a running server is frozen just for its reflink copy), or for the whole
 * backup when a stopped server's root is read in place; a reflink copy of the root is
 * kept for the next backup when this one succeeds. restic's stale lock is cleared
 * first (a killed agent's); a snapshot restic reports with unreadable files is forgotten
 * again and the backup fails, so nothing half-read counts as a backup.
 */
import os from "node:os";
import { z } from "zod";
import type { BackupSnapshot } from "@/lib/protocol/backups";
import type { HostPaths } from "../../config/paths";
import { checkVserverName } from "../../config/vserver/names";
import { configExists } from "../../config/vserver/read-config";
import { AgentFailure } from "../../errors";
import { runRestic } from "../../kernel/backup/run-restic";
import { withLock, withServerLock } from "../locks";
import { clearView, makeView, type BackupView } from "./point-in-time-view";
import { keepRootCopy, type RootCopy } from "./reflink-root-copy";
import { localRepositoryDir, openRepository } from "./repository";
import { localSnapshotId, ownerTags, resticSnapshots, toWire, writeFigures } from "./snapshots";

/** What to back up. */
export interface BackupRequest {
  name: string;
  owner: string;
  target: string;
  note?: string;
  panelRecord?: Record<string, unknown>;
  log?: (line: string) => void;
  progress?: (percent: number) => void;
}

const summary = z.object({
  message_type: z.literal("summary"),
  data_added: z.number(),
  total_bytes_processed: z.number(),
  total_files_processed: z.number(),
  total_duration: z.number(),
  snapshot_id: z.string(),
});

const status = z.object({ message_type: z.literal("status"), percent_done: z.number() });

/** The lock key of a server's backups (not the server's own lock: a backup must not block start/stop for its whole length). */
export function backupLockKey(name: string): string {
  return `.backup-${name}`;
}

/** How the backup reads the server, for its log ("without a point-in-time view", not "(none)"). */
function viewWords(view: BackupView): string {
  const frozen = view.freezeMs ? `, frozen ${view.freezeMs} ms` : "";
  if (view.consistency === "none") return "the running server without a point-in-time view";
  if (view.consistency === "stopped") return "the stopped server";
  return `from a ${view.consistency} copy${frozen}`;
}

/** Backs up `req.name`; resolves with the new snapshot. */
export async function createBackup(paths: HostPaths, req: BackupRequest): Promise<BackupSnapshot> {
  checkVserverName(req.name);
  if (!configExists(paths, req.name)) throw new AgentFailure("NOT_FOUND", `no vserver named "${req.name}"`, "name");
  const log = req.log ?? (() => undefined);
  const progress = req.progress ?? (() => undefined);
  return withLock(paths, backupLockKey(req.name), `backup of ${req.name}`, async () => {
    const repo = await openRepository(paths, req.target, { unlock: true });
    progress(5);
    let result: BackupSnapshot | undefined;
    const backup = async (view: BackupView): Promise<BackupSnapshot> => {
      log(`backing up ${viewWords(view)} to target "${req.target}"`);
      if (view.copy) log(copyNote(view.copy));
      const tags = [...ownerTags(req.name, req.owner), `vs-consistency=${view.consistency}`, `vs-freeze-ms=${view.freezeMs}`];
      let sum: z.infer<typeof summary> | undefined;
      const t0 = Date.now();
      // The snapshot's time given, so the new snapshot is known without asking restic again.
      const time = new Date(Math.floor(t0 / 1000) * 1000).toISOString().replace(".000Z", "Z");
      // A copy kept from the last backup has the inodes and ctimes restic saw then; a new
      // one (or a bind mount) is compared by size and mtime only.
      const ignore = view.copy?.fresh === false ? [] : ["--ignore-inode", "--ignore-ctime"];
      const r = await runRestic(
        repo,
        ["backup", "--json", "--host", hostTag(), "--tag", tags.join(","), "--time", time.slice(0, 19).replace("T", " "), ...ignore, view.root, view.host],
        {
          okCodes: [0, 3],
          onLine: (line) => {
            let msg: unknown;
            try {
              msg = JSON.parse(line);
            } catch {
              return;
            }
            const st = status.safeParse(msg);
            if (st.success) progress(10 + Math.floor(st.data.percent_done * 85));
            const su = summary.safeParse(msg);
            if (su.success) sum = su.data;
          },
        },
      );
      if (!sum) throw new AgentFailure("KERNEL", "restic backup ended without a summary: no snapshot was made");
      const fullId = localSnapshotId(localRepositoryDir(repo), sum.snapshot_id);
      const snap = fullId
        ? { id: fullId, short_id: fullId.slice(0, 8), time, paths: [view.root, view.host].sort(), tags }
        : (await resticSnapshots(repo, { name: req.name, owner: req.owner })).find((s) => s.id.startsWith(sum!.snapshot_id));
      if (!snap) throw new AgentFailure("INTERNAL", `restic reported snapshot ${sum.snapshot_id}, but it is not in the repository`);
      if (r.code === 3) {
        await runRestic(repo, ["forget", snap.id]).catch(() => undefined);
        throw new AgentFailure("KERNEL", `some files could not be read, the snapshot was dropped: ${r.stderr.trim().split("\n").slice(-3).join("; ")}`);
      }
      writeFigures(paths, req.target, snap.id, {
        addedBytes: sum.data_added,
        totalBytes: sum.total_bytes_processed,
        files: sum.total_files_processed,
        durationMs: Math.round(sum.total_duration * 1000) || Date.now() - t0,
        note: req.note ?? "",
        snapshot: { time: snap.time, paths: snap.paths, tags: snap.tags ?? [] },
      });
      const wire = toWire(paths, req.target, snap);
      log(`snapshot ${wire.id} (${wire.files} files, ${wire.addedBytes} bytes added)`);
      return wire;
    };
    try {
      let view: BackupView | undefined;
      await withServerLock(paths, req.name, async () => {
        view = await makeView(paths, req.name, req.panelRecord ?? {});
        if (view.holdLock) result = await backup(view);
      });
      if (!result) result = await backup(view!);
      if (view?.copy) keepRootCopy(paths, req.name, view.copy, view.root);
    } finally {
      await clearView(paths, req.name);
    }
    progress(100);
    return result;
  });
}

/** How the root copy was made, for the job's log. */
function copyNote(c: RootCopy): string {
  const made = c.fresh ? "a new reflink copy of the root" : "the root copy kept from the last backup, caught up";
  if (c.frozenPass === "none") return `${made} (the server is stopped)`;
  if (c.frozenPass === "full") return `${made}; frozen: everything checked again (the pass while running did not end cleanly)`;
  return `${made}; frozen: ${c.changed} entries changed since the pass while running, copied`;
}

/** The restic host name of this agent's snapshots (restic picks a parent snapshot by host and paths). */
export function hostTag(): string {
  return (os.hostname() || "vserver-host").replace(/[^A-Za-z0-9.-]/g, "-").slice(0, 63);
}
