/**
 * Host canaries: files a guest's planted links point at, outside every root, and a
 * witness of anything the host does to them. The tree holds what a host operation could
 * be tricked into reading or writing (etc/hostname, etc/resolv.conf, etc/shadow with a
 * recognizable hash, root/.ssh/authorized_keys, data/ with a file, a FIFO and a /dev/zero
 * node), each carrying a random token in its bytes and in a `user.` xattr. While armed,
 * an inotify watcher (the attack probe, outside any guest) records every open, read,
 * write, attribute change, create, delete or rename in those directories, and of any
 * extra inode given (a guest's FIFOs and device nodes: opening one is the failure).
 *
 *   const c = makeCanary(dir);  await c.arm([fifoInGuest]);  ...race...
 *   assert.deepEqual(await c.disarm(), []);  c.assertIntact();
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { constants as C, mknodat } from "@/native";
import { until } from "../../ops/limits/testing/cli-host";

/** A canary tree. */
export interface Canary {
  dir: string;
  token: string;
  /** Starts the witness on the tree and on `extra` inodes. */
  arm(extra?: string[]): Promise<void>;
  /** Stops the witness; returns what it saw. */
  disarm(): Promise<string[]>;
  /** Every file has its bytes, mode, mtime and xattr as made; nothing was added or removed. */
  assertIntact(): void;
}

const FILES = ["etc/hostname", "etc/resolv.conf", "etc/shadow", "root/.ssh/authorized_keys", "data/same.bin"] as const;
const DIRS = ["", "etc", "root", "root/.ssh", "data"] as const;

/** The bytes of each canary file (the shadow line has a crypt-looking hash with the token). */
export function canaryContent(file: (typeof FILES)[number], token: string): string {
  if (file === "etc/shadow") return `root:$6$vstcanary$${token}:19000:0:99999:7:::\n`;
  if (file === "root/.ssh/authorized_keys") return `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${token} canary\n`;
  return `host canary ${file} ${token}\n`;
}

interface Snapshot {
  listing: string[];
  files: Map<string, { data: string; mtimeMs: number; mode: number; xattr: string }>;
}

function xattrOf(file: string): string {
  return spawnSync("getfattr", ["-h", "--only-values", "-n", "user.vstcanary", file], { encoding: "utf8" }).stdout;
}

function snapshot(dir: string): Snapshot {
  const listing: string[] = [];
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const r = path.join(rel, name);
      const st = fs.lstatSync(path.join(dir, r));
      listing.push(`${r} ${st.mode.toString(8)} ${st.mtimeMs}`);
      if (st.isDirectory()) walk(r);
    }
  };
  walk("");
  const files = new Map(FILES.map((f) => {
    const p = path.join(dir, f);
    const st = fs.statSync(p);
    return [f, { data: fs.readFileSync(p, "utf8"), mtimeMs: st.mtimeMs, mode: st.mode, xattr: xattrOf(p) }];
  }));
  return { listing, files };
}

/** Makes the canary tree in a new directory under `parent` (a host path outside every root). */
export function makeCanary(parent: string, probe: string): Canary {
  const token = randomBytes(8).toString("hex");
  const dir = fs.mkdtempSync(path.join(parent, "vst-canary-"));
  for (const d of DIRS) fs.mkdirSync(path.join(dir, d), { recursive: true, mode: 0o755 });
  for (const f of FILES) {
    const p = path.join(dir, f);
    fs.writeFileSync(p, canaryContent(f, token), { mode: 0o600 });
    spawnSync("setfattr", ["-n", "user.vstcanary", "-v", token, p]);
  }
  mknodat(C.AT_FDCWD, path.join(dir, "data/fifo"), C.S_IFIFO | 0o600);
  mknodat(C.AT_FDCWD, path.join(dir, "data/zero"), C.S_IFCHR | 0o600, 1, 5);
  // Old times, so that any write or touch would show.
  for (const f of FILES) fs.utimesSync(path.join(dir, f), 1_000_000_000, 1_000_000_000);
  const made = snapshot(dir);
  let witness: ChildProcess | undefined;
  let seen = "";
  return {
    dir,
    token,
    async arm(extra = []) {
      seen = "";
      witness = spawn(probe, ["inotify", ...DIRS.map((d) => path.join(dir, d)), ...extra], { stdio: ["ignore", "pipe", "pipe"] });
      witness.stdout!.on("data", (b: Buffer) => (seen += b.toString()));
      witness.stderr!.on("data", (b: Buffer) => (seen += b.toString()));
      await until("the canary's witness", () => seen.startsWith("ready\n") || witness!.exitCode !== null);
      if (!seen.startsWith("ready\n")) throw new Error(`the canary's witness did not start: ${seen}`);
    },
    async disarm() {
      const w = witness;
      witness = undefined;
      if (!w) return [];
      const done = new Promise((r) => w.once("close", r));
      w.kill("SIGTERM");
      await done;
      return seen.split("\n").filter((l) => l && l !== "ready");
    },
    assertIntact() {
      const now = snapshot(dir);
      if (JSON.stringify(now.listing) !== JSON.stringify(made.listing)) throw new Error(`the canary tree changed:\n${now.listing.join("\n")}\nwas\n${made.listing.join("\n")}`);
      for (const [f, was] of made.files) {
        const is = now.files.get(f)!;
        if (JSON.stringify(is) !== JSON.stringify(was)) throw new Error(`canary ${f} changed: ${JSON.stringify(is)} was ${JSON.stringify(was)}`);
      }
    },
  };
}
