/**
 * The only place that touches cgroupfs files. Paths here are host paths under the
 * cgroup mounts that the agent owns (never guest paths), so Node's fs is allowed.
 *
 * Every failure becomes an AgentFailure("KERNEL") whose message keeps the operation,
 * the path, the value and errno, and whose `cause` is the original Node error so callers
 * can turn a specific errno (EBUSY on a memory limit, ENOENT on a missing file) into a
 * better answer with {@link errnoOf}.
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import { AgentFailure } from "../../errors";

/** File operations on cgroupfs; swapped for a recording fake in unit tests. */
export interface CgroupIo {
  /** Reads a whole interface file. */
  read(path: string): Promise<string>;
  /** Writes one value with a single write(2), as cgroupfs requires. */
  write(path: string, value: string): Promise<void>;
  /** Creates a directory; an existing one is fine. */
  mkdir(path: string): Promise<void>;
  /** Removes an (empty) cgroup directory; a missing one is fine. */
  rmdir(path: string): Promise<void>;
  /** Names of the subdirectories (child cgroups); [] when `path` is missing. */
  subdirs(path: string): Promise<string[]>;
  /** Whether a file or directory exists. */
  exists(path: string): Promise<boolean>;
}

/** errno code (`'EBUSY'`) of a failure made by this module, or of a raw Node error. */
export function errnoOf(error: unknown): string | undefined {
  const source = error instanceof AgentFailure ? error.cause : error;
  if (source && typeof source === "object" && "code" in source && typeof source.code === "string") {
    return source.code;
  }
  return undefined;
}

/** Wraps a Node fs error as a KERNEL failure that keeps errno and the path. */
export function kernelFailure(operation: string, path: string, error: unknown): AgentFailure {
  const code = errnoOf(error) ?? "EIO";
  const detail = error instanceof Error ? error.message : String(error);
  return new AgentFailure("KERNEL", `${operation} ${path}: ${code} (${detail})`, undefined, {
    cause: error,
  });
}

// O_TRUNC without O_CREAT: a shell's `echo v > file` on cgroupfs, and a typo in a file
// name fails with ENOENT instead of creating a stray file in a fake tree.
// (libuv adds O_CLOEXEC to every open.)
const writeFlags = fs.constants.O_WRONLY | fs.constants.O_TRUNC;

/** The real cgroupfs. */
export const nodeCgroupIo: CgroupIo = {
  async read(path) {
    try {
      return await fsp.readFile(path, "utf8");
    } catch (error) {
      throw kernelFailure("read", path, error);
    }
  },
  async write(path, value) {
    let handle: fsp.FileHandle | undefined;
    try {
      handle = await fsp.open(path, writeFlags);
      await handle.write(value);
    } catch (error) {
      throw kernelFailure(`write "${value}" to`, path, error);
    } finally {
      await handle?.close().catch(() => undefined);
    }
  },
  async mkdir(path) {
    try {
      await fsp.mkdir(path);
    } catch (error) {
      if (errnoOf(error) !== "EEXIST") throw kernelFailure("mkdir", path, error);
    }
  },
  async rmdir(path) {
    try {
      await fsp.rmdir(path);
    } catch (error) {
      if (errnoOf(error) !== "ENOENT") throw kernelFailure("rmdir", path, error);
    }
  },
  async subdirs(path) {
    try {
      const entries = await fsp.readdir(path, { withFileTypes: true });
      return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    } catch (error) {
      if (errnoOf(error) === "ENOENT") return [];
      throw kernelFailure("list", path, error);
    }
  },
  async exists(path) {
    try {
      await fsp.access(path);
      return true;
    } catch {
      return false;
    }
  },
};
