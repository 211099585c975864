/**
 * The `dlimits/` record of a server (layout.ts shows the files). One value per file, as
 * util-vserver does, each replaced atomically; `mode` is written last, so a record
 * without it is the trace of a create that did not finish.
 */
import fs from "node:fs";
import path from "node:path";
import { AgentFailure } from "../../errors";
import type { AreaPaths } from "./layout";
import type { AreaRecord, DiskLimits, DiskMode } from "./types";

/** What the record directory holds. */
export type RecordState = { kind: "none" } | { kind: "incomplete" } | { kind: "complete"; record: AreaRecord };

function readValue(dir: string, file: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, file), "utf8").trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

function writeValue(dir: string, file: string, value: string): void {
  const tmp = path.join(dir, `.${file}.tmp`);
  fs.writeFileSync(tmp, `${value}\n`, { mode: 0o644 });
  fs.renameSync(tmp, path.join(dir, file));
}

function corrupt(dir: string, file: string, value: string | undefined): AgentFailure {
  return new AgentFailure("INTERNAL", `${path.join(dir, file)}: unreadable value ${JSON.stringify(value ?? null)}`);
}

function wholeNumber(dir: string, file: string): number {
  const value = readValue(dir, file);
  if (value === undefined || !/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw corrupt(dir, file, value);
  return Number(value);
}

/** Reads the record of one server. */
export function readAreaRecord(p: AreaPaths): RecordState {
  const dir = p.dlimitsDir;
  if (!fs.existsSync(dir)) return { kind: "none" };
  const mode = readValue(dir, "mode");
  if (mode === undefined) return { kind: "incomplete" };
  if (mode !== "project" && mode !== "loop") throw corrupt(dir, "mode", mode);
  const limits: DiskLimits = { bytes: wholeNumber(dir, "space_total") * 1024, inodes: wholeNumber(dir, "inodes_total") };
  const record: AreaRecord = { mode, directory: readValue(dir, "directory") ?? p.root, limits };
  if (mode === "project") record.projid = wholeNumber(dir, "projid");
  else record.image = readValue(dir, "image") ?? p.image;
  return { kind: "complete", record };
}

/** Reads the record, or NOT_FOUND when the server has no (finished) disk area. */
export function requireAreaRecord(p: AreaPaths, name: string): AreaRecord {
  const state = readAreaRecord(p);
  if (state.kind !== "complete") {
    throw new AgentFailure("NOT_FOUND", `${name} has no disk area${state.kind === "incomplete" ? " (an unfinished one: reconcile removes it)" : ""}`);
  }
  return state.record;
}

/** Creates `dlimits/` (and the server's config dir if missing); returns the dirs it made. */
export function makeRecordDir(p: AreaPaths): string[] {
  const made: string[] = [];
  for (const dir of [p.confDir, p.dlimitsDir]) {
    try {
      fs.mkdirSync(dir, { mode: 0o755 });
      made.push(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      if (!fs.statSync(dir).isDirectory()) throw new AgentFailure("CONFLICT", `${dir} exists and is not a directory`);
    }
  }
  return made;
}

/** Records the project id before anything else, so a concurrent allocation sees it. */
export function writeProjid(p: AreaPaths, projid: number): void {
  writeValue(p.dlimitsDir, "projid", String(projid));
}

/** Writes the limits (KiB, as util-vserver) without touching the mode. */
export function writeLimits(p: AreaPaths, limits: DiskLimits): void {
  writeValue(p.dlimitsDir, "space_total", String(Math.floor(limits.bytes / 1024)));
  writeValue(p.dlimitsDir, "inodes_total", String(limits.inodes));
}

/** Writes the whole record; `mode` last: from then on the area exists. */
export function commitAreaRecord(p: AreaPaths, record: AreaRecord): void {
  writeValue(p.dlimitsDir, "directory", record.directory);
  if (record.image !== undefined) writeValue(p.dlimitsDir, "image", record.image);
  if (record.projid !== undefined) writeValue(p.dlimitsDir, "projid", String(record.projid));
  writeLimits(p, record.limits);
  writeValue(p.dlimitsDir, "mode", record.mode satisfies DiskMode);
}

/** Removes `dlimits/` (the server's config dir itself belongs to the server). */
export function removeAreaRecord(p: AreaPaths): void {
  // `mode` first: a crash half-way leaves an "incomplete" record, which reconcile removes.
  fs.rmSync(path.join(p.dlimitsDir, "mode"), { force: true });
  fs.rmSync(p.dlimitsDir, { recursive: true, force: true });
}
