/**
 * The host's templates: `VSERVER_ROOTDIR/.templates/NAME.tar.zst` with `NAME.json` beside
 * it (what it is, where it came from, its size). The directory is 0700 (a template holds
 * a whole root: shadow hashes, keys). Dot-entries of ROOTDIR are never servers. The
 * metadata file is written after the archive is complete, so a listed template is whole.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { HostPaths } from "../../config/paths";
import { writeAtomic } from "../../config/vserver/value-files";
import { AgentFailure, badInput } from "../../errors";
import { templateInfo } from "@/lib/protocol/vserver-provisioning";

/** Metadata of one template: what the API reports of it (lib/protocol), and the archive's
 * file name inside the templates directory. Names on disk are read as they are (an
 * admin may have put a file there); the API's name rule applies to new templates. */
export const templateMeta = templateInfo.extend({ name: z.string(), file: z.string() });

/** Parsed form of {@link templateMeta}. */
export type TemplateMeta = z.infer<typeof templateMeta>;

const namePattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Throws BAD_REQUEST unless `name` is a template name. */
export function checkTemplateName(name: string, field = "template"): string {
  if (!namePattern.test(name) || name.includes("..")) throw badInput(field, `"${name}" is not a template name (a-z, 0-9, . _ -; up to 64)`);
  return name;
}

/** `ROOTDIR/.templates`. */
export function templatesDir(paths: HostPaths): string {
  return path.join(paths.rootDir, ".templates");
}

/** The archive and metadata paths of template `name`. */
export function templateFiles(paths: HostPaths, name: string): { archive: string; meta: string } {
  checkTemplateName(name);
  const dir = templatesDir(paths);
  return { archive: path.join(dir, `${name}.tar.zst`), meta: path.join(dir, `${name}.json`) };
}

/** Makes the templates directory (0700). */
export function ensureTemplatesDir(paths: HostPaths): string {
  const dir = templatesDir(paths);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** The metadata of `name`, or null when there is no complete template of that name. */
export function readTemplate(paths: HostPaths, name: string): TemplateMeta | null {
  const f = templateFiles(paths, name);
  try {
    const meta = templateMeta.parse(JSON.parse(fs.readFileSync(f.meta, "utf8")));
    if (!fs.statSync(path.join(templatesDir(paths), meta.file)).isFile()) return null;
    return meta;
  } catch {
    return null;
  }
}

/** Every complete template, by name. */
export function listTemplates(paths: HostPaths): TemplateMeta[] {
  let names: string[];
  try {
    names = fs.readdirSync(templatesDir(paths));
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith(".json") && namePattern.test(n.slice(0, -5)))
    .map((n) => readTemplate(paths, n.slice(0, -5)))
    .filter((m): m is TemplateMeta => m !== null)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Writes the metadata (after the archive is in place). */
export function writeTemplateMeta(paths: HostPaths, meta: TemplateMeta): void {
  writeAtomic(templateFiles(paths, meta.name).meta, `${JSON.stringify(meta, null, 2)}\n`, 0o600);
}

/** Removes template `name` (metadata first, so it is never listed half-removed). */
export function deleteTemplate(paths: HostPaths, name: string): void {
  const f = templateFiles(paths, name);
  const meta = readTemplate(paths, name);
  if (!meta && !fs.existsSync(f.archive)) throw new AgentFailure("NOT_FOUND", `no template named "${name}"`, "template");
  fs.rmSync(f.meta, { force: true });
  fs.rmSync(meta ? path.join(templatesDir(paths), meta.file) : f.archive, { force: true });
}
