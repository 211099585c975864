/**
 * Extended attributes of template trees (file capabilities such as `security.capability`,
 * ACLs). Node has no xattr calls and the native module none either, so the attr tools do
 * the syscalls, but never on a guest path string. Reading walks the tree by fds
 * (tree-walk.ts: nothing followed, no mount crossed), opens each entry O_PATH beneath its
 * parent (checked to be the inode the walk saw) and hands batches of those fds to
 * `getfattr` as `/proc/self/fd/N`: the magic link leads to exactly that inode, so no name
 * the guest can swap meanwhile is ever resolved by the tool. (A recursive `getfattr -R`
 * walk by path names was led into host directories by a directory swapped for a symlink
 * in the middle of the walk: it listed them and read their xattrs.) FIFOs and devices
 * are never opened: getxattr needs no open. Symlinks are left out (tar keeps no xattrs
 * for them). Writing is `setfattr` on `/proc/self/fd/3`, the fd of the inode we just
 * created. Without the tools (Debian: attr) xattrs are skipped, and the caller says so.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync } from "node:fs";
import { constants as C, fstatat, isNativeError, openat2 } from "@/native";
import { BENEATH } from "../../kernel/guestfs/guest-path";
import { walkTree, type WalkedEntry } from "./tree-walk";

/** xattrs by relative path (latin1 key of the raw bytes). */
export type TreeXattrs = Map<string, Map<string, Buffer>>;

let toolsChecked: boolean | undefined;

/** Whether getfattr/setfattr are installed. */
export function haveXattrTools(): boolean {
  if (toolsChecked === undefined) {
    toolsChecked = spawnSync("getfattr", ["--version"], { stdio: "ignore" }).status === 0 && spawnSync("setfattr", ["--version"], { stdio: "ignore" }).status === 0;
  }
  return toolsChecked;
}

/** Decodes getfattr's quoting (\ooo octal escapes; everything else is raw bytes). */
export function unquote(text: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === 0x5c && i + 3 < text.length && /^[0-7]{3}$/.test(text.subarray(i + 1, i + 4).toString("latin1"))) {
      out.push(parseInt(text.subarray(i + 1, i + 4).toString("latin1"), 8));
      i += 3;
    } else out.push(c);
  }
  return Buffer.from(out);
}

/** Parses `getfattr -d -e base64 --absolute-names` output for a tree under `prefix`. */
export function parseGetfattr(out: Buffer, prefix: string): TreeXattrs {
  const result: TreeXattrs = new Map();
  let current: Map<string, Buffer> | undefined;
  const pre = Buffer.from(prefix);
  let start = 0;
  for (let i = 0; i <= out.length; i++) {
    if (i < out.length && out[i] !== 0x0a) continue;
    const line = out.subarray(start, i);
    start = i + 1;
    if (line.subarray(0, 8).toString("latin1") === "# file: ") {
      let p = unquote(line.subarray(8));
      if (p.subarray(0, pre.length).equals(pre)) p = p.subarray(pre.length);
      while (p[0] === 0x2f) p = p.subarray(1);
      while (p.length && p[p.length - 1] === 0x2f) p = p.subarray(0, p.length - 1);
      current = new Map();
      result.set(p.toString("latin1"), current);
      continue;
    }
    const eq = line.indexOf(0x3d);
    if (!current || eq <= 0) continue;
    const value = line.subarray(eq + 1).toString("latin1");
    const name = unquote(line.subarray(0, eq)).toString("latin1");
    current.set(name, value.startsWith("0s") ? Buffer.from(value.slice(2), "base64") : Buffer.from(value.replace(/^"|"$/g, ""), "latin1"));
  }
  for (const [k, v] of result) if (v.size === 0) result.delete(k);
  return result;
}

/** Entries per getfattr run (each holds an fd until the run). */
const BATCH = 200;

/** O_PATH fd of the walked entry, or null when the name no longer leads to that inode. */
function pin(dirfd: number, name: Buffer, ino: bigint, isRoot: boolean): number | null {
  let fd: number;
  try {
    fd = openat2(dirfd, isRoot ? "." : name, C.O_PATH | C.O_NOFOLLOW, 0, BENEATH);
  } catch (e) {
    if (isNativeError(e)) return null;
    throw e;
  }
  if (fstatat(fd, "", C.AT_EMPTY_PATH).ino !== ino) {
    closeSync(fd);
    return null;
  }
  return fd;
}

/** getfattr on each pinned fd (as the child's fds 3…); results keyed by the entries' paths. */
function readBatch(batch: { fd: number; rel: Buffer }[], into: TreeXattrs): void {
  if (batch.length === 0) return;
  const r = spawnSync("getfattr", ["-d", "-m", "-", "-e", "base64", "--absolute-names", ...batch.map((_, i) => `/proc/self/fd/${i + 3}`)], {
    stdio: ["ignore", "pipe", "pipe", ...batch.map((b) => b.fd)],
    maxBuffer: 256 << 20,
  });
  // getfattr exits 1 when some inode could not be read; what it printed stands.
  if (r.status !== 0 && r.status !== 1) throw new Error(`getfattr failed: ${r.stderr.toString().slice(0, 300)}`);
  for (const [key, attrs] of parseGetfattr(r.stdout, "/proc/self/fd/")) {
    const entry = batch[Number(key) - 3];
    if (entry) into.set(entry.rel.toString("latin1"), attrs);
  }
}

/**
 * xattrs of every inode under the directory fd `rootFd` (a stopped server's root) — or of
 * those `only` picks (a round of changes reads only what it sends) — or null without the tools.
 */
export async function readTreeXattrs(rootFd: number, only?: (e: WalkedEntry) => boolean): Promise<TreeXattrs | null> {
  if (!haveXattrTools()) return null;
  const out: TreeXattrs = new Map();
  let batch: { fd: number; rel: Buffer }[] = [];
  const flush = () => {
    try {
      readBatch(batch, out);
    } finally {
      for (const b of batch) closeSync(b.fd);
      batch = [];
    }
  };
  try {
    await walkTree(rootFd, (e) => {
      if (e.st.type === "symlink" || e.st.type === "socket") return;
      if (only && !only(e)) return;
      const fd = pin(e.dirfd, e.name, e.st.ino, e.rel.length === 0);
      if (fd === null) return; // changed meanwhile: the tar walk will skip or re-read it
      batch.push({ fd, rel: e.rel });
      if (batch.length >= BATCH) flush();
    });
    flush();
  } finally {
    for (const b of batch) closeSync(b.fd);
  }
  return out;
}

/** Sets xattrs on the inode of `fd`; returns how many were set. */
export function setXattrsOnFd(fd: number, attrs: Map<string, Buffer>): number {
  if (!haveXattrTools()) return 0;
  let n = 0;
  for (const [name, value] of attrs) {
    execFileSync("setfattr", ["-n", name, "-v", `0s${value.toString("base64")}`, "/proc/self/fd/3"], { stdio: ["ignore", "ignore", "pipe", fd] });
    n++;
  }
  return n;
}
