/**
 * Where transfers are staged on a host: `<runDir>/transfers/out-<ticket>.tar.zst` (the
 * source's archive of the stopped server, removed once sent whole or when its ticket
 * expires: a cut transfer resumes from it) and `in-<ticket>.…`
 * (the target's received copy, built from and removed). A file left by a killed agent
 * is removed by the next transfer on that host (none runs twice under one ticket).
 */
import fs from "node:fs";
import path from "node:path";
import type { HostPaths } from "../../config/paths";

/** The staging directory (made root-only). */
export function transfersDir(paths: HostPaths): string {
  const dir = path.join(paths.runDir, "transfers");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Whether `zstd` is on the PATH (else transfers are plain tar). */
export function hasZstd(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.PATH ?? "/usr/bin:/bin").split(":").some((d) => d && fs.existsSync(path.join(d, "zstd")));
}

/** Where the body of staging file `file` is written before its head (a round of changes: archive-round.ts). */
export function bodyFileOf(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.body.${path.basename(file).endsWith(".zst") ? "tar.zst" : "tar"}`);
}

/** The staging file of one side of ticket `id`. */
export function transferFile(paths: HostPaths, side: "in" | "out", id: string, zstd: boolean): string {
  return path.join(transfersDir(paths), `${side}-${id}.${zstd ? "tar.zst" : "tar"}`);
}

const active = new Set<string>();

/**
 * Whether directory entry `name` belongs to a transfer under way: its staged file or a
 * file named after it (its temporary sibling `.<name>.tmp-…`, written and renamed into
 * place; the body of a round of changes, `.<name>.body…`), which a second transfer
 * starting meanwhile (two servers of one host moving at once) must not remove. Ticket
 * ids are random: a name holding one belongs to that ticket's transfer.
 */
function inUse(dir: string, name: string): boolean {
  return [...active].some((file) => path.dirname(file) === dir && name.includes(path.basename(file)));
}

/**
 * Marks `file` in use, after removing staged files no transfer of this process uses;
 * the returned function removes it and ends the mark (once; later calls do nothing).
 */
export function holdStagedFile(file: string): () => void {
  const dir = path.dirname(file);
  for (const f of fs.readdirSync(dir)) {
    if (!inUse(dir, f)) fs.rmSync(path.join(dir, f), { force: true });
  }
  active.add(file);
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    active.delete(file);
    fs.rmSync(file, { force: true });
  };
}

/** Holds `file` (holdStagedFile) while `work` runs, and removes it after. */
export async function withStagedFile<T>(file: string, work: () => Promise<T>): Promise<T> {
  const release = holdStagedFile(file);
  try {
    return await work();
  } finally {
    release();
  }
}

/** Removes every staged transfer file (at agent start: none of them can be in use then). */
export function clearStagedTransfers(paths: HostPaths): void {
  fs.rmSync(path.join(paths.runDir, "transfers"), { recursive: true, force: true });
}
