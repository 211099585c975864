/**
 * The `template` method: a new root from a template archive (a host file from the CLI,
 * or a template of the host's store by name) or from a copy of a STOPPED server (held
 * under its lock for the copy; its files share extents with the copy where the
 * filesystem has reflinks). `--source` is looked up as: an absolute path → a file; a
 * name → a template of that name, else a server of that name.
 */
import fs from "node:fs";
import { closeSync } from "node:fs";
import type { HostPaths } from "../../config/paths";
import { configExists } from "../../config/vserver/read-config";
import { AgentFailure } from "../../errors";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { withServerLock } from "../locks";
import { openArchiveReader } from "./archive-io";
import { copyTree } from "./copy-tree";
import { openStoppedRoot } from "./export-vserver";
import { extractTar } from "./extract-tar";
import { readTemplate, templatesDir } from "./template-store";
import { readTreeXattrs } from "./xattrs";
import path from "node:path";
import type { StepReporting } from "../operations/step-reporting";

/** What the build passes to the method. */
export interface TemplateRun extends StepReporting {
  paths: HostPaths;
  /** The new server's name (a server cannot be its own source). */
  name: string;
  root: string;
  source: string;
  reflink: boolean;
}

/** Where a source resolves to. */
export type TemplateSource = { kind: "file"; file: string; distribution: string | null } | { kind: "server"; name: string };

/** Resolves `--source`; NOT_FOUND when nothing of that name exists. */
export function resolveTemplateSource(paths: HostPaths, source: string, self: string): TemplateSource {
  if (source.startsWith("/")) {
    if (!fs.existsSync(source)) throw new AgentFailure("NOT_FOUND", `--source: ${source} does not exist`, "methodArgs");
    return { kind: "file", file: source, distribution: null };
  }
  const t = readTemplate(paths, source);
  if (t) return { kind: "file", file: path.join(templatesDir(paths), t.file), distribution: t.distribution };
  if (source !== self && /^[a-z][a-z0-9-]{0,30}$/.test(source) && configExists(paths, source)) return { kind: "server", name: source };
  throw new AgentFailure("NOT_FOUND", `--source: no template or vserver named "${source}"`, "methodArgs");
}

/** Populates `run.root`; returns the distribution when the source knows it, and where the
 * copied ids start (a shifted server's range; 0 otherwise: see ../userns/fit-root.ts). */
export async function populateFromTemplate(run: TemplateRun): Promise<{ distribution: string | null; ownerBase: number }> {
  const src = resolveTemplateSource(run.paths, run.source, run.name);
  const dst = openGuestRoot(run.root);
  const mib = (n: number) => `${Math.round(n / (1 << 20))} MiB`;
  try {
    if (src.kind === "file") {
      run.log(`unpacking ${src.file}`);
      const reader = openArchiveReader(src.file);
      try {
        const c = await extractTar(reader.chunks, dst, {
          signal: run.signal,
          onSkip: (name, why) => run.log(`left out ${name.toString("utf8")}: ${why}`),
          onBytes: (b) => run.log(`${mib(b)} unpacked`),
        });
        reader.stop(); // data after the end marker is not read
        await reader.done().catch(() => undefined);
        run.log(`unpacked ${c.files} files (${mib(c.bytes)}), ${c.dirs} directories, ${c.symlinks} symlinks, ${c.hardlinks} hard links, ${c.nodes} nodes`);
      } catch (e) {
        reader.stop();
        await reader.done().catch(() => undefined);
        throw e;
      }
      return { distribution: src.distribution, ownerBase: 0 };
    }
    return await withServerLock(run.paths, src.name, async () => {
      const from = await openStoppedRoot(run.paths, src.name, "a server is copied while stopped");
      try {
        run.log(`copying vserver ${src.name} (${from.root})${run.reflink ? "" : " without reflinks"}`);
        const c = await copyTree(from.fd, dst, {
          reflink: run.reflink ? "auto" : "never",
          xattrs: await readTreeXattrs(from.fd),
          signal: run.signal,
          onSkip: (rel, why) => run.log(`left out /${rel.toString("utf8")}: ${why}`),
          onBytes: (b) => run.log(`${mib(b)} copied`),
        });
        run.log(
          `copied ${c.files} files (${mib(c.bytes)}; ${c.reflinkedFiles} sharing extents by reflink, ${mib(c.reflinkedBytes)}), ${c.dirs} directories, ${c.symlinks} symlinks, ${c.hardlinks} hard links, ${c.nodes} nodes`,
        );
        return { distribution: from.distribution, ownerBase: from.ownerBase };
      } finally {
        closeSync(from.fd);
      }
    });
  } finally {
    closeSync(dst);
  }
}
