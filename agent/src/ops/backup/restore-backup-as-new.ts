/**
 * restoreBackupAsNew: a new server from a snapshot of another. The new server is built
 * as any other (its own name, context, uid range, addresses, limits and disk area from
 * the request: the plan's), with the empty "skeleton" method; its root's contents are
 * then replaced by the snapshot's root (restic writing directly, fill-root-from-snapshot.ts),
 * whose ids are shifted from the snapshot's base to what the new server's mode needs
 * (as a template build does), and the snapshot's init and build records are taken over.
 * Root's password and keys from the request are set last. Any failure deletes the new
 * server again.
 */
import { closeSync } from "node:fs";
import fs from "node:fs";
import path from "node:path";
import type { z } from "zod";
import type { restoreBackupAsNewInput } from "@/lib/protocol/backups";
import type { HostPaths } from "../../config/paths";
import { configFiles } from "../../config/vserver/layout";
import { checkVserverName } from "../../config/vserver/names";
import { configExists, readVserverConfig } from "../../config/vserver/read-config";
import { writeUidMap } from "../../config/vserver/uidmap";
import { AgentFailure } from "../../errors";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { removeGuestTree } from "../../kernel/guestfs/remove-guest-tree";
import { buildVserver } from "../build/build-vserver";
import { setGuestRootAccess } from "../build/root-access";
import { recordDesired } from "../lifecycle/desired-state";
import { startLocked } from "../lifecycle/start-vserver";
import { withServerLock } from "../locks";
import { deleteVserver } from "../manage/delete-vserver";
import type { OperationStore } from "../operations/operation-store";
import { fitRootToUidMap } from "../userns/fit-root";
import { fillRootFromSnapshot } from "./fill-root-from-snapshot";
import { openRepository } from "./repository";
import { makeStage, removeStage } from "./restic-stage";
import { findSnapshot } from "./snapshots";

/** The snapshot's records a new server takes over (its own limits, names and addresses come from the request). */
const TAKEN_OVER = ["init/argv", "apps/init/style", "build/method", "build/distribution"];

/** Starts the restore-as-new operation; resolves with its id once the request is checked. */
export async function restoreBackupAsNew(paths: HostPaths, input: z.output<typeof restoreBackupAsNewInput>, store: OperationStore): Promise<string> {
  const c = input.create;
  checkVserverName(c.name);
  if (configExists(paths, c.name)) throw new AgentFailure("CONFLICT", `vserver "${c.name}" already exists`, "create.name");
  return store.start("restore-as-new", c.name, async (op) => {
    const repo = await openRepository(paths, input.target);
    const snap = await findSnapshot(repo, input, paths);
    await buildVserver(paths, {
      name: c.name, method: "skeleton", hostname: c.hostname, domainname: c.domainname, context: c.context,
      limits: c.limits, interfaces: c.interfaces, nameservers: c.nameservers, startOnBoot: c.startOnBoot,
      userNamespace: c.userNamespace, log: op.log, progress: (p) => op.progress(Math.floor(p / 4)),
    });
    try {
      await withServerLock(paths, c.name, async () => {
        const cfg = readVserverConfig(paths, c.name);
        const fd = openGuestRoot(cfg.root);
        try {
          removeGuestTree(fd, "/");
        } finally {
          closeSync(fd);
        }
        const stage = makeStage(paths);
        try {
          op.log(`restoring snapshot ${snap.short_id} of "${input.name}" into "${c.name}"`);
          const snapCfg = await fillRootFromSnapshot(repo, snap, cfg.root, stage);
          op.progress(80);
          writeUidMap(paths, c.name, await fitRootToUidMap(cfg.root, cfg.uidmap, { from: snapCfg.idBase, log: op.log }));
          const files = configFiles(paths, c.name);
          for (const rel of TAKEN_OVER) {
            const src = snapCfg.configDir && path.join(snapCfg.configDir, rel);
            if (!src || !fs.existsSync(src)) continue;
            fs.mkdirSync(path.dirname(path.join(files.dir, rel)), { recursive: true });
            fs.copyFileSync(src, path.join(files.dir, rel));
          }
        } finally {
          removeStage(stage);
        }
        const now = readVserverConfig(paths, c.name);
        if (c.rootPassword !== undefined || c.sshKeys !== undefined) {
          setGuestRootAccess(now.root, { rootPassword: c.rootPassword, sshKeys: c.sshKeys }, now.uidmap?.shifted ? now.uidmap.start : 0);
        }
        if (c.start) {
          await startLocked(paths, c.name);
          recordDesired(paths, c.name, "running", "panel");
          op.log("started");
        }
      });
    } catch (e) {
      op.log(`the new server is removed again: ${(e as Error).message}`);
      await deleteVserver(paths, c.name).catch(() => undefined);
      throw e;
    }
  });
}
