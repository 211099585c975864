/**
 * A fake cgroupfs in a temp dir for unit tests: real files, a CgroupIo that records
 * every write (path relative to the root, value) and a hook that fills each new
 * directory with interface files, the way the kernel does on mkdir. Writes go through
 * the real io (O_TRUNC, no O_CREAT), so a write to a file the kernel would not have
 * fails with ENOENT here too.
 */
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { nodeCgroupIo, type CgroupIo } from "../cgroup-io";

/** A recorded write. */
export interface FakeWrite {
  file: string;
  value: string;
}

/** The fake tree and its recorder. */
export interface FakeTree {
  root: string;
  io: CgroupIo;
  writes: FakeWrite[];
  /** Writes a file directly (as the "kernel"), creating it if needed. */
  put(relative: string, content: string): Promise<void>;
  /** Reads a file relative to the root. */
  get(relative: string): Promise<string>;
  /** Removes the temp dir. */
  dispose(): Promise<void>;
}

/**
 * Creates a fake tree. `rootFiles` are created at the root; `groupFiles(dir)` gives the
 * files the "kernel" puts in each new directory (relative to that directory).
 */
export async function makeFakeTree(
  rootFiles: Record<string, string>,
  groupFiles: (relativeDir: string) => Record<string, string>,
): Promise<FakeTree> {
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), "vst-fake-cgroup-"));
  const writes: FakeWrite[] = [];
  const put = async (relative: string, content: string) => fsp.writeFile(path.join(root, relative), content);
  for (const [name, content] of Object.entries(rootFiles)) await put(name, content);
  const io: CgroupIo = {
    ...nodeCgroupIo,
    async write(file, value) {
      writes.push({ file: path.relative(root, file), value });
      await nodeCgroupIo.write(file, value);
    },
    async mkdir(dir) {
      const existed = await nodeCgroupIo.exists(dir);
      await nodeCgroupIo.mkdir(dir);
      if (existed) return;
      const relative = path.relative(root, dir);
      for (const [name, content] of Object.entries(groupFiles(relative))) await put(path.join(relative, name), content);
    },
    async rmdir(dir) {
      // The kernel removes interface files with the directory; a plain fs does not.
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
  return {
    root,
    io,
    writes,
    put,
    get: (relative) => fsp.readFile(path.join(root, relative), "utf8"),
    dispose: () => fsp.rm(root, { recursive: true, force: true }),
  };
}
