/**
 * The enter spec of a console, in a file only root can read: node-pty gives its child
 * nothing but the pty as fds 0-2, so vs-enter reads the spec with `--spec-file` instead
 * of from fd 3. The directory lives in the agent's run dir (never inside a guest tree)
 * and the file is removed as soon as vs-enter has read it.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { HostPaths } from "../../config/paths";

/** A written spec file. */
export interface SpecFile {
  path: string;
  /** Removes the file (idempotent; safe once vs-enter has opened it). */
  remove(): void;
}

/** The private directory of console spec files. */
export function consoleSpecDir(paths: HostPaths): string {
  return path.join(paths.runDir, ".console");
}

/** Writes `spec` to a fresh 0600 file in a 0700 directory owned by the agent. */
export function writeSpecFile(paths: HostPaths, spec: Buffer): SpecFile {
  const dir = consoleSpecDir(paths);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir keeps an existing directory's mode: make sure nobody else can list or swap files.
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || st.uid !== process.getuid?.()) throw new Error(`${dir} is not the agent's own directory`);
  fs.chmodSync(dir, 0o700);
  const file = path.join(dir, `${crypto.randomUUID()}.spec`);
  fs.writeFileSync(file, spec, { mode: 0o600, flag: "wx" });
  let removed = false;
  return {
    path: file,
    remove() {
      if (removed) return;
      removed = true;
      fs.rmSync(file, { force: true });
    },
  };
}
