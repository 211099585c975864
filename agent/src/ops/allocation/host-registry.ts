/**
 * The host-wide registry of context ids and uid ranges: several agents on one machine
 * (each with its own VSERVER_CONFDIR, as tests and staging hosts run) see each other's
 * ids here and never pick the same. Under `/run/vserver-panel` (VSERVER_REGISTRY_DIR
 * overrides it): `contexts/<id>` and `uids/<start>`, each a small JSON claim naming its
 * owner (the agent's paths and the server). /run is a tmpfs: after a reboot every agent
 * claims its servers again (syncOwnClaims) before it allocates.
 *
 * One lock, flock(2) on `lock`, is held while choosing and claiming (the kernel drops
 * it when the holder dies). The registry leaves /run as it found it: the last release
 * of an empty registry removes it, lock file included. A waiter that got the lock on a
 * lock file unlinked meanwhile sees the inode no longer at the path and starts over.
 */
import fs from "node:fs";
import path from "node:path";
import { flockBy } from "../../kernel/flock-wait";
import { AgentFailure } from "../../errors";

/** The registry's directory. */
export function registryDir(): string {
  return process.env.VSERVER_REGISTRY_DIR || "/run/vserver-panel";
}

/** What is claimed: a context id, or a uid range by its first id. */
export type ClaimKind = "contexts" | "uids";

/** Who holds a claim: an agent's paths (as it sees them) and one of its servers. */
export interface ClaimOwner {
  confDir: string;
  runDir: string;
  name: string;
}

/** A claim read back. */
export interface Claim {
  kind: ClaimKind;
  /** The context id, or the first uid of the range. */
  key: number;
  /** uids: how many ids from key (1 for a context). */
  count: number;
  owner: ClaimOwner;
}

/** Opens and locks `dir/lock`; a lock file that is no longer at its path is retried. */
async function lockRegistry(dir: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    let fd: number;
    try {
      fd = fs.openSync(path.join(dir, "lock"), fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o600);
    } catch (e) {
      // The last holder removed the directory between our mkdir and open: again.
      if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw e;
    }
    if (!(await flockBy(fd, deadline))) {
      fs.closeSync(fd);
      throw new AgentFailure("BUSY", `the host's id registry (${dir}) stays locked by another agent`);
    }
    const atPath = fs.statSync(path.join(dir, "lock"), { throwIfNoEntry: false, bigint: true });
    if (atPath && atPath.ino === fs.fstatSync(fd, { bigint: true }).ino) return fd;
    fs.closeSync(fd);
  }
}

function isEmptyOrAbsent(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length === 0;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT";
  }
}

/** Removes the registry when it holds no claim (we hold the lock). */
function removeIfEmpty(dir: string): void {
  if (!isEmptyOrAbsent(path.join(dir, "contexts")) || !isEmptyOrAbsent(path.join(dir, "uids"))) return;
  for (const sub of ["contexts", "uids"]) {
    try {
      fs.rmdirSync(path.join(dir, sub));
    } catch {
      // absent
    }
  }
  fs.rmSync(path.join(dir, "lock"), { force: true });
  try {
    fs.rmdirSync(dir);
  } catch {
    // Something else was put there: leave it.
  }
}

/**
 * Runs `work` holding the registry lock; the claim functions below may only be called
 * inside. Waits up to `timeoutMs` for another agent (BUSY after).
 */
export async function withHostRegistry<T>(work: () => T | Promise<T>, timeoutMs = 60_000): Promise<T> {
  const dir = registryDir();
  const fd = await lockRegistry(dir, timeoutMs);
  held++;
  try {
    return await work();
  } finally {
    held--;
    try {
      removeIfEmpty(dir);
    } finally {
      fs.closeSync(fd);
    }
  }
}

let held = 0;

/**
 * Whether this process holds the registry now. The allocators consult it only then:
 * a chooser called outside the lock (a unit test of its own rules) sees this agent alone
 * rather than a registry other processes are changing.
 */
export function registryHeld(): boolean {
  return held > 0;
}

function claimFile(kind: ClaimKind, key: number): string {
  return path.join(registryDir(), kind, String(key));
}

function parseClaim(kind: ClaimKind, key: number, text: string): Claim | null {
  try {
    const v = JSON.parse(text) as Partial<ClaimOwner & { count: number }>;
    if (typeof v.confDir !== "string" || typeof v.runDir !== "string" || typeof v.name !== "string") return null;
    const count = kind === "uids" && Number.isInteger(v.count) && v.count! > 0 ? v.count! : 1;
    return { kind, key, count, owner: { confDir: v.confDir, runDir: v.runDir, name: v.name } };
  } catch {
    return null;
  }
}

/** Every claim of `kind` (a garbled file is no claim: the next claim of its id replaces it). */
export function readClaims(kind: ClaimKind): Claim[] {
  const dir = path.join(registryDir(), kind);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: Claim[] = [];
  for (const n of names) {
    if (!/^\d+$/.test(n)) continue;
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, n), "utf8");
    } catch {
      continue;
    }
    const c = parseClaim(kind, Number(n), text);
    if (c) out.push(c);
  }
  return out;
}

/** Writes a claim (replacing a stale one the caller decided to take over). */
export function writeClaim(kind: ClaimKind, key: number, owner: ClaimOwner, count = 1): void {
  const file = claimFile(kind, key);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written in place: only holders of the lock read claims, and they wait for us.
  fs.writeFileSync(file, `${JSON.stringify({ ...owner, ...(kind === "uids" ? { count } : {}) })}\n`, { mode: 0o600 });
}

/** Removes a claim. */
export function removeClaim(kind: ClaimKind, key: number): void {
  fs.rmSync(claimFile(kind, key), { force: true });
}
