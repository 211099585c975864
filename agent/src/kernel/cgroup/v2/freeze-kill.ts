/**
 * Freezing and killing on v2: cgroup.freeze and cgroup.kill are core files (no
 * controller needed). cgroup.kill (5.14+) SIGKILLs the whole subtree in one step, forks
 * included; other signals go freeze → signal every pid → thaw, so no process can fork a
 * child that misses the signal.
 */
import path from "node:path";
import type { CgroupIo } from "../cgroup-io";
import { parseFlatKeyed } from "../parse-files";
import { signalPid, waitFor } from "../wait-for";

/** cgroup.events as numbers (populated, frozen). */
export async function readEvents(io: CgroupIo, dir: string): Promise<Map<string, number>> {
  return parseFlatKeyed(await io.read(path.join(dir, "cgroup.events")));
}

/** Writes 1 to cgroup.freeze and waits for `frozen 1` in cgroup.events. */
export async function freezeV2(io: CgroupIo, dir: string): Promise<void> {
  await io.write(path.join(dir, "cgroup.freeze"), "1");
  await waitFor(async () => (await readEvents(io, dir)).get("frozen") === 1, `freezing ${dir}`);
}

/** Writes 0 to cgroup.freeze and waits for `frozen 0`. */
export async function thawV2(io: CgroupIo, dir: string): Promise<void> {
  await io.write(path.join(dir, "cgroup.freeze"), "0");
  await waitFor(async () => (await readEvents(io, dir)).get("frozen") === 0, `thawing ${dir}`);
}

/** Signals the whole group; for SIGKILL waits until cgroup.events says `populated 0`. */
export async function killAllV2(
  io: CgroupIo,
  dir: string,
  listPids: () => Promise<number[]>,
  signal: NodeJS.Signals,
): Promise<void> {
  const empty = async () => (await readEvents(io, dir)).get("populated") === 0;
  if (signal === "SIGKILL" && (await io.exists(path.join(dir, "cgroup.kill")))) {
    await io.write(path.join(dir, "cgroup.kill"), "1");
    await waitFor(empty, `emptying ${dir}`);
    return;
  }
  await freezeV2(io, dir);
  try {
    for (const pid of await listPids()) signalPid(pid, signal);
  } finally {
    await thawV2(io, dir);
  }
  if (signal === "SIGKILL") await waitFor(empty, `emptying ${dir}`);
}
