/**
 * A guest tree is hostile before its first start too: a symlink planted at a mount
 * target must make the start refuse (or stay inside the root), never mount over or
 * create anything on the host, and leave no process, mount or cgroup member behind.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, mkdtempSync, rmSync, existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { makeBusyboxRoot, type BusyboxRoot } from "@/agent/src/testing/busybox-root";
import { cgroupPids } from "@/agent/src/testing/cleanup";
import { makeTestCgroup, type TestCgroup } from "@/agent/src/testing/test-cgroup";
import { ensureGuestSymlink } from "@/agent/src/kernel/guestfs/ensure-guest-symlink";
import { mkdirGuest } from "@/agent/src/kernel/guestfs/mkdir-guest";
import { openGuestRoot } from "@/agent/src/kernel/guestfs/open-guest-root";
import { removeGuestTree } from "@/agent/src/kernel/guestfs/remove-guest-tree";
import { closeSync } from "node:fs";
import { buildStartSpec } from "./build-start-spec";
import { HelperError } from "./helper-error";
import type { MountEntry } from "./spec-types";
import { startInit } from "./start-init";

function plant(bb: BusyboxRoot, path: string, target: string): void {
  const fd = openGuestRoot(bb.root);
  try {
    removeGuestTree(fd, path);
    ensureGuestSymlink(fd, path, target);
  } finally {
    closeSync(fd);
  }
}

function helperProcesses(): string[] {
  return readdirSync("/proc").filter((p) => /^\d+$/.test(p)).flatMap((p) => {
    try {
      const c = readFileSync(`/proc/${p}/cmdline`, "latin1");
      return /vs-start|vs-enter/.test(c) ? [c] : [];
    } catch {
      return [];
    }
  });
}

describe("planted symlinks at mount targets", () => {
  let hostDir = "";
  let cg: TestCgroup | undefined;
  const roots: BusyboxRoot[] = [];

  before(() => {
    hostDir = mkdtempSync("/tmp/vst-hostdir-");
    cg = makeTestCgroup(`plant-${process.pid}`);
  });
  after(async () => {
    for (const r of roots) r.cleanup();
    await cg?.cleanup();
    rmSync(hostDir, { recursive: true, force: true });
  });

  for (const [target, link] of [
    ["/proc", "/etc"],
    ["/proc", "HOSTDIR"],
    ["/dev", "HOSTDIR"],
    ["/sys", "../../../../../../HOSTDIR"],
    ["/dev/pts", "/etc"], // planted in the tree, but hidden by the fresh /dev tmpfs
  ] as const) {
    it(`${target} -> ${link}: refused or contained`, async () => {
      const bb = makeBusyboxRoot();
      roots.push(bb);
      const realLink = link.replace("HOSTDIR", hostDir.slice(1)).replace(/^(?!\.)(?!\/)/, "/");
      if (target === "/dev/pts") {
        plant(bb, "/dev/pts", "/etc");
      } else {
        plant(bb, target, realLink);
      }
      const mountsBefore = readFileSync("/proc/self/mountinfo", "utf8");
      const spec = buildStartSpec({ root: bb.root, runDir: bb.runDir, cgroupProcs: cg!.procsFiles });
      let started: Awaited<ReturnType<typeof startInit>> | undefined;
      try {
        started = await startInit(spec);
      } catch (e) {
        assert.ok(e instanceof HelperError, String(e));
        assert.equal(e.step, "open-target");
        assert.equal(e.code, "ELOOP");
        assert.equal(e.path, target);
      }
      if (target === "/dev/pts") {
        // /dev is a fresh tmpfs in the guest: the planted link is hidden, the start works.
        assert.ok(started, "start with a link under the /dev mount point succeeds");
        closeSync(started.pidfd);
        process.kill(started.initPid, "SIGKILL");
      } else {
        assert.equal(started, undefined, "start must refuse");
      }
      for (let i = 0; i < 200 && (cgroupPids(cg!.dirs[0]!).length || helperProcesses().length); i++)
        await new Promise((r) => setTimeout(r, 25));
      assert.deepEqual(cgroupPids(cg!.dirs[0]!), [], "no guest process left");
      assert.deepEqual(helperProcesses(), [], "no helper left");
      assert.equal(readFileSync("/proc/self/mountinfo", "utf8"), mountsBefore, "host mounts unchanged");
      assert.deepEqual(readdirSync(hostDir), [], "nothing created on the host");
    });
  }

  it("an intermediate symlink to a host path resolves inside the root, or refuses", async () => {
    const extraMounts: MountEntry[] = [{ op: "mount", kind: "tmpfs", target: "/mnt/data", flags: ["nosuid"], options: ["size=16k"] }];
    // Dangling inside the root: creating the parent would mean following it: refused.
    const bb = makeBusyboxRoot();
    roots.push(bb);
    plant(bb, "/mnt", hostDir);
    const spec = buildStartSpec({ root: bb.root, runDir: bb.runDir, cgroupProcs: cg!.procsFiles, extraMounts: [...extraMounts] });
    await assert.rejects(startInit(spec), (e: unknown) => e instanceof HelperError && ["ELOOP", "ENOTDIR"].includes(e.code) && e.path === "/mnt/data");
    // Existing inside the root (the guest made the same path): the mount lands there.
    const fd = openGuestRoot(bb.root);
    try {
      mkdirGuest(fd, hostDir);
    } finally {
      closeSync(fd);
    }
    const s = await startInit(spec);
    try {
      assert.ok(existsSync(`${bb.root}${hostDir}/data`), "mount point made inside the root");
      const mounts = readFileSync(`/proc/${s.initPid}/mountinfo`, "utf8");
      assert.match(mounts, / \/mnt\/data | \/tmp\/vst-hostdir-\w+\/data /);
    } finally {
      process.kill(s.initPid, "SIGKILL");
      closeSync(s.pidfd);
    }
    assert.deepEqual(readdirSync(hostDir), [], "host dir untouched");
  });
});
