/**
 * Freezing and killing on v1, where there is no cgroup.kill: the freezer controller
 * stops every task (and every task forked meanwhile), so a list of pids read while
 * frozen is complete and cannot be raced by fork or pid reuse.
 */
import path from "node:path";
import { AgentFailure } from "../../../errors";
import type { CgroupIo } from "../cgroup-io";
import { signalPid, waitFor } from "../wait-for";

const state = (io: CgroupIo, dir: string) => io.read(path.join(dir, "freezer.state")).then((s) => s.trim());

/** Writes FROZEN and waits until the kernel reports every task frozen. */
export async function freezeV1(io: CgroupIo, freezerDir: string | null, timeoutMs?: number): Promise<void> {
  if (!freezerDir) throw new AgentFailure("UNSUPPORTED", "freeze: the v1 freezer controller is not mounted");
  await io.write(path.join(freezerDir, "freezer.state"), "FROZEN");
  await waitFor(async () => (await state(io, freezerDir)) === "FROZEN", `freezing ${freezerDir}`, timeoutMs);
}

/** Writes THAWED and waits for it. */
export async function thawV1(io: CgroupIo, freezerDir: string | null): Promise<void> {
  if (!freezerDir) throw new AgentFailure("UNSUPPORTED", "thaw: the v1 freezer controller is not mounted");
  await io.write(path.join(freezerDir, "freezer.state"), "THAWED");
  await waitFor(async () => (await state(io, freezerDir)) === "THAWED", `thawing ${freezerDir}`);
}

/**
 * Freeze, signal every pid, thaw. For SIGKILL, repeat until the group is empty: frozen
 * tasks only die once thawed, and a task mid-fork may add a child in between rounds.
 * Without a freezer (or when a task in D state keeps the group FREEZING) it still
 * signals in rounds, which is racy against fork but better than leaving the guest up.
 */
export async function killAllV1(
  io: CgroupIo,
  freezerDir: string | null,
  listPids: () => Promise<number[]>,
  signal: NodeJS.Signals,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // A create interrupted half-way may have left no freezer directory: signal anyway.
  if (freezerDir && !(await io.exists(freezerDir))) freezerDir = null;
  for (;;) {
    let frozen = false;
    if (freezerDir) {
      frozen = await freezeV1(io, freezerDir, 2000).then(
        () => true,
        () => false,
      );
    }
    try {
      for (const pid of await listPids()) signalPid(pid, signal);
    } finally {
      if (freezerDir) await thawV1(io, freezerDir);
    }
    if (signal !== "SIGKILL") return;
    const empty = await waitFor(async () => (await listPids()).length === 0, "emptying", frozen ? 1000 : 200).then(
      () => true,
      () => false,
    );
    if (empty) return;
    if (Date.now() > deadline) {
      throw new AgentFailure("BUSY", `processes ${(await listPids()).join(" ")} survived SIGKILL for ${timeoutMs} ms`);
    }
  }
}
