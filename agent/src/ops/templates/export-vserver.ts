/**
 * `vserver NAME export FILE.tar.zst` and the API's exportTemplate: a STOPPED server's
 * root as a template archive, walked by fds (write-tree-tar.ts), under the server's lock
 * so it cannot start meanwhile. Into a file the admin names, or into the host's template
 * store with metadata (template-store.ts). A failed export leaves no partial file.
 */
import { closeSync } from "node:fs";
import type { HostPaths } from "../../config/paths";
import { checkVserverName } from "../../config/vserver/names";
import { readVserverConfig } from "../../config/vserver/read-config";
import { AgentFailure, badInput } from "../../errors";
import { ensureMounted } from "../../kernel/disk";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { diskEnvOf, diskModeOf } from "../disk/disk-area";
import { withServerLock } from "../locks";
import { initAlive, readRunState } from "../runtime/run-state";
import { batched, openArchiveWriter } from "./archive-io";
import { checkTemplateName, ensureTemplatesDir, readTemplate, templateFiles, writeTemplateMeta, type TemplateMeta } from "./template-store";
import { writeTreeTar } from "./write-tree-tar";
import { readTreeXattrs } from "./xattrs";
import type { StepReporting } from "../operations/step-reporting";

/** What to export where. */
export interface ExportRequest extends Partial<Pick<StepReporting, "log" | "progress">> {
  name: string;
  /** A host file (CLI), named .tar.zst, .tar.gz or .tar … */
  file?: string;
  /** … or a template name in the host's store. */
  template?: string;
  description?: string;
  /** Replace an existing file or template. */
  replace?: boolean;
}

/** What was written. */
export interface ExportResult {
  file: string;
  bytes: number;
  entries: number;
  contentBytes: number;
  skipped: number;
  template: TemplateMeta | null;
}

/** Throws WRONG_STATE unless `name` is stopped. */
export function ensureServerStopped(paths: HostPaths, name: string, why: string): void {
  const state = readRunState(paths, name);
  if (state && initAlive(state)) throw new AgentFailure("WRONG_STATE", `vserver "${name}" is running; stop it first (${why})`, "name");
}

/** Opens the root of a stopped server whose lock the caller holds (mounting its image if needed). */
export async function openStoppedRoot(paths: HostPaths, name: string, why: string): Promise<StoppedRoot> {
  const cfg = readVserverConfig(paths, name);
  ensureServerStopped(paths, name, why);
  if (diskModeOf(paths, name) !== "none") await ensureMounted(name, diskEnvOf(paths));
  const ownerBase = cfg.uidmap?.shifted ? cfg.uidmap.start : 0;
  return { fd: openGuestRoot(cfg.root), root: cfg.root, buildMethod: cfg.buildMethod, distribution: cfg.distribution, ownerBase, idCount: cfg.uidmap?.count ?? 65536 };
}

/** The root of a stopped server, opened. */
export interface StoppedRoot {
  fd: number;
  root: string;
  buildMethod: string | null;
  distribution: string | null;
  /** Where its ids start on disk: its range's start when its ownership is shifted
   * (uidmap/shifted), else 0. Archives and copies are made 0-based. */
  ownerBase: number;
  idCount: number;
}

/** Exports the stopped server `req.name`. */
export async function exportVserver(paths: HostPaths, req: ExportRequest): Promise<ExportResult> {
  checkVserverName(req.name);
  if ((req.file === undefined) === (req.template === undefined)) throw badInput("file", "give a file or a template name (one of them)");
  if (req.template !== undefined) checkTemplateName(req.template);
  const log = req.log ?? (() => undefined);
  const progress = req.progress ?? (() => undefined);
  return withServerLock(paths, req.name, async () => {
    const src = await openStoppedRoot(paths, req.name, "a template is taken from a stopped server");
    try {
      let file = req.file!;
      if (req.template !== undefined) {
        ensureTemplatesDir(paths);
        if (!req.replace && readTemplate(paths, req.template)) throw new AgentFailure("CONFLICT", `template "${req.template}" already exists`, "template");
        file = templateFiles(paths, req.template).archive;
      }
      const xattrs = await readTreeXattrs(src.fd);
      if (xattrs === null) log("xattrs are not archived: getfattr/setfattr are missing (Debian: apt-get install attr)");
      else if (xattrs.size) log(`${xattrs.size} inodes with xattrs`);
      const writer = openArchiveWriter(file, { replace: req.replace ?? req.template !== undefined });
      let skipped = 0;
      try {
        const out = batched((b) => writer.write(b));
        progress(5);
        const counts = await writeTreeTar(src.fd, out.write, {
          xattrs,
          ...(src.ownerBase ? { idShift: { from: src.ownerBase, to: 0, count: src.idCount } } : {}),
          onSkip: (rel, why) => {
            if (++skipped <= 50) log(`left out /${rel.toString("utf8")}: ${why}`);
          },
          onBytes: (bytes) => log(`${Math.round(bytes / (1 << 20))} MiB archived`),
        });
        await out.flush();
        const bytes = await writer.close();
        log(`exported ${counts.entries} entries (${counts.bytes} bytes of files) to ${file}: ${bytes} bytes`);
        let meta: TemplateMeta | null = null;
        if (req.template !== undefined) {
          meta = {
            name: req.template,
            file: `${req.template}.tar.zst`,
            bytes,
            createdAt: new Date().toISOString(),
            description: req.description ?? "",
            sourceVserver: req.name,
            buildMethod: src.buildMethod,
            distribution: src.distribution,
            entries: counts.entries,
            contentBytes: counts.bytes,
          };
          writeTemplateMeta(paths, meta);
        }
        progress(100);
        return { file, bytes, entries: counts.entries, contentBytes: counts.bytes, skipped: counts.skipped, template: meta };
      } catch (e) {
        await writer.abort();
        throw e;
      }
    } finally {
      closeSync(src.fd);
    }
  });
}
