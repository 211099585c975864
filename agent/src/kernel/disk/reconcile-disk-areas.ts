/**
 * After an agent crash or a host reboot: which disk areas exist, which are not in
 * effect (image unmounted, root untagged), and what is left over from operations that
 * were cut short (an image or record without a finished area, a loop device nothing
 * mounts). Listing changes nothing; reconciling mounts what should be mounted and,
 * only when asked, removes the leftovers.
 */
import fs from "node:fs";
import path from "node:path";
import { constants as C, isNativeError } from "@/native";
import { AgentFailure } from "../../errors";
import { readAreaRecord } from "./area-record";
import { diskEnv } from "./env";
import { ensureMounted } from "./ensure-mounted";
import { areaPaths, checkServerName, imagesDirOf, nameOfImage } from "./layout";
import { withAreaLock } from "./locks";
import { imageMountState } from "./loop/image-mount";
import { listLoopDevices, loopsOfImage, readMounts } from "./mounts";
import { openProjectRoot } from "./project/project-area";
import { releaseAreaAt } from "./release-disk-area";
import { runTool } from "../run-tool";
import type { AreaRecord, DiskEnv, DiskEnvOptions, DiskMode } from "./types";

/** The state of a finished area. */
export type AreaHealth = "ok" | "unmounted" | "image-missing" | "foreign-mount" | "quota-off" | "untagged" | "error";

/** One finished area. */
export interface ListedArea {
  name: string;
  /** null when the record itself could not be read (health "error"). */
  mode: DiskMode | null;
  health: AreaHealth;
  detail?: string;
}

/** A leftover of an interrupted operation. */
export interface DiskOrphan {
  /** image: an image without a finished loop area; record: dlimits/ without `mode`;
   * loop: a loop device on one of our images that nothing mounts. */
  kind: "image" | "record" | "loop";
  /** The server name it belongs to (image, record). */
  name?: string;
  path: string;
}

/** What {@link listDiskAreas} found. */
export interface DiskAreaReport {
  areas: ListedArea[];
  orphans: DiskOrphan[];
}

function health(env: DiskEnv, name: string, record: AreaRecord): Pick<ListedArea, "health" | "detail"> {
  const p = areaPaths(env.paths, name);
  if (record.mode === "loop") {
    const image = record.image ?? p.image;
    const state = imageMountState(p.root, image);
    if (state.state === "mounted") return { health: "ok" };
    if (state.state === "other") return { health: "foreign-mount", detail: `${state.source} (${state.fsType}) on ${p.root}` };
    return fs.existsSync(image) ? { health: "unmounted" } : { health: "image-missing", detail: image };
  }
  try {
    const fd = openProjectRoot(p, env.paths.rootDir);
    try {
      env.quota.info(fd);
      const x = env.quota.getFsxattr(fd);
      const tagged = x.projid === record.projid && (x.xflags & C.FS_XFLAG_PROJINHERIT) !== 0;
      return tagged ? { health: "ok" } : { health: "untagged", detail: `root has project ${x.projid}` };
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    if (isNativeError(e, "ESRCH")) return { health: "quota-off" };
    return { health: "error", detail: e instanceof Error ? e.message : String(e) };
  }
}

function serverNames(confDir: string): string[] {
  try {
    return fs.readdirSync(confDir).filter((n) => {
      try {
        checkServerName(n);
        return true;
      } catch {
        return false;
      }
    });
  } catch {
    return [];
  }
}

/** Lists the areas under the env's prefixes and the leftovers beside them. */
export function listDiskAreas(options: DiskEnvOptions = {}): DiskAreaReport {
  const env = diskEnv(options);
  const areas: ListedArea[] = [];
  const orphans: DiskOrphan[] = [];
  const loopImages = new Set<string>();
  for (const name of serverNames(env.paths.confDir)) {
    const p = areaPaths(env.paths, name);
    let state: ReturnType<typeof readAreaRecord>;
    try {
      state = readAreaRecord(p);
    } catch (e) {
      areas.push({ name, mode: null, health: "error", detail: e instanceof Error ? e.message : String(e) });
      continue;
    }
    if (state.kind === "incomplete") orphans.push({ kind: "record", name, path: p.dlimitsDir });
    if (state.kind !== "complete") continue;
    if (state.record.mode === "loop") loopImages.add(state.record.image ?? p.image);
    areas.push({ name, mode: state.record.mode, ...health(env, name, state.record) });
  }
  const imagesDir = imagesDirOf(env.paths);
  let files: string[] = [];
  try {
    files = fs.readdirSync(imagesDir);
  } catch {
    // no loop areas ever made here
  }
  for (const file of files) {
    const full = path.join(imagesDir, file);
    const name = nameOfImage(file);
    if (!loopImages.has(full)) orphans.push(name ? { kind: "image", name, path: full } : { kind: "image", path: full });
  }
  const mounted = new Set(readMounts().map((m) => m.source));
  for (const loop of listLoopDevices()) {
    if (loop.backingFile.startsWith(imagesDir + "/") && !mounted.has(loop.device)) orphans.push({ kind: "loop", path: loop.device });
  }
  return { areas, orphans };
}

/** Deletes an image no area uses, after freeing its loop devices; refuses one still mounted. */
async function removeStrayImage(image: string): Promise<void> {
  const mounts = readMounts();
  for (const loop of loopsOfImage(image)) {
    const user = mounts.find((m) => m.source === loop.device);
    if (user) throw new AgentFailure("CONFLICT", `${image} is mounted at ${user.mountPoint}; unmount it first`);
    await runTool("losetup", ["-d", loop.device]);
  }
  fs.rmSync(image, { force: true });
}

/** Options of {@link reconcileDiskAreas}. */
export interface ReconcileOptions extends DiskEnvOptions {
  /** Mount unmounted images and re-tag untagged project roots (default true). */
  ensure?: boolean;
  /** Remove leftovers: stray loop devices, images and records of unfinished creates (default false). */
  removeOrphans?: boolean;
}

/** What {@link reconcileDiskAreas} did. */
export interface ReconcileResult {
  report: DiskAreaReport;
  ensured: string[];
  removed: string[];
  errors: string[];
}

/**
 * Brings the areas back into effect after a restart (the agent's start calls it with
 * `ensure`) and, with `removeOrphans`, clears leftovers. An image without a record is
 * only ever a create that did not finish (the record is written last and removed last),
 * but removing one deletes data, so that stays a decision of the caller.
 */
export async function reconcileDiskAreas(options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const env = diskEnv(options);
  const report = listDiskAreas(options);
  const result: ReconcileResult = { report, ensured: [], removed: [], errors: [] };
  const note = (what: string, e: unknown) => result.errors.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  if (options.ensure ?? true) {
    for (const a of report.areas) {
      if (a.health !== "unmounted" && a.health !== "untagged") continue;
      try {
        await ensureMounted(a.name, options);
        result.ensured.push(a.name);
      } catch (e) {
        note(a.name, e);
      }
    }
  }
  if (options.removeOrphans) {
    // Loop devices first: an image's removal then finds nothing attached to it.
    const ordered = [...report.orphans].sort((a, b) => Number(b.kind === "loop") - Number(a.kind === "loop"));
    for (const o of ordered) {
      try {
        if (o.kind === "loop") {
          // Freed meanwhile (autoclear, or the removal of its image)? Then nothing to do.
          if (listLoopDevices().some((l) => l.device === o.path && l.backingFile.startsWith(imagesDirOf(env.paths) + "/"))) {
            await runTool("losetup", ["-d", o.path]);
          }
        } else if (o.name) {
          const p = areaPaths(env.paths, o.name);
          await withAreaLock(p.root, async () => {
            // A finished area of the other mode (or with another image) owns the root:
            // only the stray file goes.
            if (readAreaRecord(p).kind === "complete") await removeStrayImage(o.path);
            else await releaseAreaAt(env, p);
          });
        } else await removeStrayImage(o.path);
        result.removed.push(o.path);
      } catch (e) {
        note(o.path, e);
      }
    }
  }
  return result;
}
