/** `releaseDiskArea`: the last step of a delete (and the way back from a failed build). */
import fs from "node:fs";
import path from "node:path";
import { AgentFailure } from "../../errors";
import { readAreaRecord, removeAreaRecord } from "./area-record";
import { diskEnv } from "./env";
import { areaPaths, type AreaPaths } from "./layout";
import { withAreaLock } from "./locks";
import { releaseLoopArea } from "./loop/release-loop-area";
import { releaseProjectArea } from "./project/project-area";
import type { DiskEnv, DiskEnvOptions, DiskMode } from "./types";

/** Options of {@link releaseDiskArea}. */
export interface ReleaseDiskAreaOptions extends DiskEnvOptions {
  /** Whether the server runs now: the caller knows, and a running server keeps its area. */
  running: boolean;
}

/** What {@link releaseDiskArea} did. */
export interface ReleaseResult {
  /** The mode of the area released; null when there was nothing to release. */
  mode: DiskMode | null;
  /** Loop mode: the root directory stayed because something was in it. */
  rootKept: boolean;
}

function projidOfIncomplete(p: AreaPaths): number | undefined {
  try {
    const value = fs.readFileSync(path.join(p.dlimitsDir, "projid"), "utf8").trim();
    return /^\d+$/.test(value) ? Number(value) : undefined;
  } catch {
    return undefined;
  }
}

/** Releases whatever exists of the area at `p` (the caller holds the area lock). */
export async function releaseAreaAt(env: DiskEnv, p: AreaPaths): Promise<ReleaseResult> {
  const state = readAreaRecord(p);
  if (state.kind === "complete" && state.record.mode === "project") {
    releaseProjectArea(env, p, state.record.projid);
    return { mode: "project", rootKept: false };
  }
  if (state.kind === "incomplete" && projidOfIncomplete(p) !== undefined) {
    releaseProjectArea(env, p, projidOfIncomplete(p));
    return { mode: "project", rootKept: false };
  }
  // Loop mode, or a leftover image of an interrupted create without any record.
  const image = state.kind === "complete" ? state.record.image ?? p.image : p.image;
  const hadImage = state.kind !== "none" || fs.existsSync(image);
  const result = hadImage ? await releaseLoopArea(p, image) : { rootKept: false };
  removeAreaRecord(p);
  return { mode: hadImage ? "loop" : null, rootKept: result.rootKept };
}

/**
 * Removes the disk area of server `name`. Loop mode: unmounts (BUSY if a host process
 * holds it; never lazily), frees the loop device, deletes the image — the server's files
 * with it — and removes the empty root directory. Project mode: lifts the quota limits
 * and forgets the id; the tree is the delete path's to remove (before or after).
 * Idempotent: releasing twice, or after an interrupted create or release, is fine.
 * WRONG_STATE while the server runs.
 */
export async function releaseDiskArea(name: string, options: ReleaseDiskAreaOptions): Promise<ReleaseResult> {
  const env = diskEnv(options);
  const p = areaPaths(env.paths, name);
  if (options.running) throw new AgentFailure("WRONG_STATE", `${name} is running: stop it before its disk area is released`);
  return withAreaLock(p.root, () => releaseAreaAt(env, p));
}
