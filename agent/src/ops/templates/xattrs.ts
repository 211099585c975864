/**
 * Extended attributes of template trees (file capabilities such as `security.capability`,
 * ACLs). Node has no xattr calls and the native module none either, so the attr tools do
 * the syscalls, but never on a guest path string: reading is one `getfattr -R -P -h` walk of
 * a STOPPED server (nothing in the guest can rename during it; `-P` never follows a
 * symlink, `-h` never dereferences one: without it a guest's `dev/stderr -> /proc/self/fd/2`
 * would be read on the host) anchored at our root fd passed as fd 3; writing is `setfattr` on
 * `/proc/self/fd/3`, the fd of the inode we just created. Only files that have xattrs
 * cost a process. Without the tools (Debian: attr) xattrs are skipped, and the caller says so.
 */
import { execFileSync, spawnSync } from "node:child_process";

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

/** xattrs of every inode under the directory fd `rootFd` (a stopped server's root), or null without the tools. */
export function readTreeXattrs(rootFd: number): TreeXattrs | null {
  if (!haveXattrTools()) return null;
  const r = spawnSync("getfattr", ["-R", "-P", "-h", "-d", "-m", "-", "-e", "base64", "--absolute-names", "/proc/self/fd/3/"], {
    stdio: ["ignore", "pipe", "pipe", rootFd],
    maxBuffer: 256 << 20,
  });
  // getfattr exits 1 when some file could not be read (e.g. a socket); what it printed stands.
  if (r.status !== 0 && r.status !== 1) throw new Error(`getfattr failed: ${r.stderr.toString().slice(0, 300)}`);
  return parseGetfattr(r.stdout, "/proc/self/fd/3/");
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
