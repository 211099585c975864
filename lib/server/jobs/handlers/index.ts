/** Every job type and its handler (and, where needed, its undo on failure). */
import type { JobContext, JobHandler } from "../job-context";
import { createServerJob, undoCreate } from "./create-server-job";
import { exportTemplateJob, reinstallServerJob, undoReinstall, unifyHostJob, updatePackagesJob } from "./provisioning-jobs";
import { changePlanJob, resizeServerJob, undoResize } from "./resize-jobs";
import { migrateServerJob, undoMigrate } from "./migrate-server-job";
import { evacuateHostJob } from "./evacuate-host-job";
import { interruptedInlineJob } from "../run-inline-job";
import { restartServerJob, startServerJob, stopServerJob, terminateServerJob } from "./power-jobs";
import { suspendServerJob, unsuspendServerJob } from "./suspend-jobs";
import { rescueEndJob, rescueStartJob, undoRescueStart } from "./rescue-jobs";
import { createBackupJob, deleteBackupJob, undoCreateBackup, undoDeleteBackup } from "./backup-jobs";
import { checkBackupTargetJob } from "./backup-target-jobs";
import { restoreAsNewJob, restoreBackupFilesJob, restoreBackupJob, undoRestoreBackup } from "./restore-jobs";

/** A job type's behaviour. */
export interface JobKind {
  run: JobHandler;
  /** Runs after a final failure to leave nothing half-made. */
  undo?: (ctx: JobContext) => Promise<void>;
  /** A human label for lists. */
  label: string;
}

/** The job types. */
export const jobKinds: Record<string, JobKind> = {
  "server.create": { run: createServerJob, undo: undoCreate, label: "Create server" },
  "server.start": { run: startServerJob, label: "Start" },
  "server.stop": { run: stopServerJob, label: "Stop" },
  "server.restart": { run: restartServerJob, label: "Restart" },
  "server.suspend": { run: suspendServerJob, label: "Suspend" },
  "server.unsuspend": { run: unsuspendServerJob, label: "Unsuspend" },
  "server.terminate": { run: terminateServerJob, label: "Terminate" },
  "server.rescue-start": { run: rescueStartJob, undo: undoRescueStart, label: "Start rescue mode" },
  "server.rescue-end": { run: rescueEndJob, label: "End rescue mode" },
  "server.resize": { run: resizeServerJob, undo: undoResize, label: "Change resources (with a restart)" },
  "server.change-plan": { run: changePlanJob, undo: undoResize, label: "Change plan" },
  // Quick changes made while the person waits (run-inline-job.ts); listed for their label
  // and for the runner, which ends one as interrupted if its panel instance died.
  "server.add-address": { run: interruptedInlineJob, label: "Add an address" },
  "server.remove-address": { run: interruptedInlineJob, label: "Remove an address" },
  "server.set-limits": { run: interruptedInlineJob, label: "Change resources" },
  "server.reinstall": { run: reinstallServerJob, undo: undoReinstall, label: "Reinstall" },
  "server.update-packages": { run: updatePackagesJob, label: "Update packages" },
  "server.export-template": { run: exportTemplateJob, label: "Export as template" },
  "server.migrate": { run: migrateServerJob, undo: undoMigrate, label: "Move to another host" },
  "host.evacuate": { run: evacuateHostJob, label: "Move all servers to other hosts (maintenance)" },
  "host.unify": { run: unifyHostJob, label: "Unify files (vunify)" },
  "backup.create": { run: createBackupJob, undo: undoCreateBackup, label: "Backup" },
  "backup.delete": { run: deleteBackupJob, undo: undoDeleteBackup, label: "Delete a backup" },
  "backup.restore": { run: restoreBackupJob, undo: undoRestoreBackup, label: "Restore from a backup" },
  "backup.restore-files": { run: restoreBackupFilesJob, label: "Restore files from a backup" },
  "backup.restore-as-new": { run: restoreAsNewJob, undo: undoCreate, label: "New server from a backup" },
  "backup.check": { run: checkBackupTargetJob, label: "Check a backup repository" },
};
