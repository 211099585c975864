/**
 * Host-unique uid ranges for new servers, chosen like context ids: the lowest free
 * range, under the host-wide context lock (ops/locks), so two builds never pick the
 * same one. Free means: no server's `uidmap/` overlaps it, nor the range a running
 * server was started with (its run state: switching a running server to shared uids
 * removes `uidmap/` at once, but it keeps its ids until it stops), no /etc/subuid or
 * /etc/subgid entry does (rootless containers of host users), and no uid of /etc/passwd
 * or gid of /etc/group lies in it, and no other agent on the machine claimed it (the
 * host registry, ops/allocation; the context lock holds the registry's).
 */
import fs from "node:fs";
import { AgentFailure } from "../../errors";
import { initAlive, readRunState } from "../../ops/runtime/run-state";
import type { HostPaths } from "../paths";
import { listServerNames } from "./layout";
import { foreignUidRanges } from "../../ops/allocation/host-claims";
import { readUidMap, UID_RANGE_BASE, UID_RANGE_LIMIT, UID_RANGE_SIZE, type UidMap } from "./uidmap";

/** A taken interval [start, end) and who has it. */
interface Taken {
  start: number;
  end: number;
  owner: string;
}

function hostFile(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** Ranges and single ids the host itself uses (files under `etc`, for tests). */
export function hostTakenIds(etc = "/etc"): Taken[] {
  const out: Taken[] = [];
  for (const f of ["subuid", "subgid"]) {
    for (const line of hostFile(`${etc}/${f}`).split("\n")) {
      const [user, start, count] = line.trim().split(":");
      if (user && /^\d+$/.test(start ?? "") && /^\d+$/.test(count ?? "")) out.push({ start: Number(start), end: Number(start) + Number(count), owner: `${etc}/${f} (${user})` });
    }
  }
  for (const f of ["passwd", "group"]) {
    for (const line of hostFile(`${etc}/${f}`).split("\n")) {
      const [n, , id] = line.split(":");
      if (n && /^\d+$/.test(id ?? "") && Number(id) >= UID_RANGE_BASE) out.push({ start: Number(id), end: Number(id) + 1, owner: `${etc}/${f} (${n})` });
    }
  }
  return out;
}

/**
 * Every server's range: the configured one, and for a running server also the one it
 * runs with. A server without `uidmap/` (shared uids, or a build that has not written it
 * yet) has none; a `uidmap/` that does not parse is an error, not a free range.
 */
export function serverRanges(paths: HostPaths): Taken[] {
  const out: Taken[] = [];
  for (const name of listServerNames(paths)) {
    let m: UidMap | null;
    try {
      m = readUidMap(paths, name);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new AgentFailure(e instanceof AgentFailure ? e.code : "INTERNAL", `uidmap: cannot tell which ids vserver "${name}" has (${why}); fix or remove its uidmap/`, "uidmap", { cause: e });
    }
    if (m) out.push({ start: m.start, end: m.start + m.count, owner: `vserver "${name}"` });
    const state = readRunState(paths, name);
    if (state?.uidmap && initAlive(state)) {
      const r = state.uidmap;
      out.push({ start: r.start, end: r.start + r.count, owner: `vserver "${name}" (running with these ids until it stops)` });
    }
  }
  return out;
}

/** The lowest free range of `count` ids (CONFLICT when `requested` overlaps one in use). */
export function chooseUidRange(paths: HostPaths, requested?: number, etc?: string): { start: number; count: number } {
  const count = UID_RANGE_SIZE;
  const taken = [...serverRanges(paths), ...foreignUidRanges(paths), ...hostTakenIds(etc)];
  const clash = (start: number) => taken.find((t) => t.start < start + count && start < t.end);
  if (requested !== undefined) {
    // Below UID_RANGE_BASE lie the host's own accounts (hostTakenIds does not list them).
    if (!Number.isInteger(requested) || requested < UID_RANGE_BASE || requested % count !== 0 || requested + count > UID_RANGE_LIMIT) {
      throw new AgentFailure("BAD_REQUEST", `uidStart (--uid-start): ${requested} is not a multiple of ${count} from ${UID_RANGE_BASE} with ${count} ids below ${UID_RANGE_LIMIT}`, "uidStart");
    }
    const c = clash(requested);
    if (c) throw new AgentFailure("CONFLICT", `uidStart: ${requested}+${count} overlaps the ids of ${c.owner}`, "uidStart");
    return { start: requested, count };
  }
  for (let start = UID_RANGE_BASE; start + count <= UID_RANGE_LIMIT; start += count) {
    if (!clash(start)) return { start, count };
  }
  throw new AgentFailure("LIMIT_EXCEEDED", "uidmap: no free uid range left on this host", "userNamespace");
}
