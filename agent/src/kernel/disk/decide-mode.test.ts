/** The mode decision for every kind of host we know, from facts alone. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decideDiskMode, type HostDiskFacts } from "./decide-mode";
import { parseKernelConfig } from "./kernel-config";

const withQuota = parseKernelConfig("CONFIG_QUOTA=y\nCONFIG_QUOTACTL=y\nCONFIG_QFMT_V2=y\nCONFIG_XFS_QUOTA=y\n");
// This test VM: CONFIG_QUOTA and QUOTACTL on, no format module, no XFS quota.
const thisVm = parseKernelConfig("CONFIG_QUOTA=y\nCONFIG_QUOTACTL=y\n# CONFIG_QFMT_V2 is not set\n# CONFIG_XFS_QUOTA is not set\n");

const facts = (over: Partial<HostDiskFacts>): HostDiskFacts => ({
  fs: "xfs",
  mountPoint: "/vservers",
  superOptions: ["rw", "prjquota"],
  projectQuota: "on",
  kernelConfig: withQuota,
  ext4Supported: true,
  loopControl: true,
  ...over,
});

describe("decideDiskMode", () => {
  it("picks project quotas on XFS mounted with prjquota (or pquota) when quotactl answers", () => {
    const d = decideDiskMode(facts({}));
    assert.equal(d.mode, "project");
    assert.equal(d.inodesAdjustable, true);
    assert.match(d.reason, /project quotas enforced on \/vservers \(xfs\)/);
    assert.equal(decideDiskMode(facts({ superOptions: ["rw", "pquota"] })).mode, "project");
  });

  it("picks project quotas on ext4 with prjquota", () => {
    assert.equal(decideDiskMode(facts({ fs: "ext4", superOptions: ["rw", "prjquota"] })).mode, "project");
  });

  it("falls back to loop images on this VM's kernel, saying why (XFS and ext4)", () => {
    const x = decideDiskMode(facts({ kernelConfig: thisVm, projectQuota: "ESRCH" }));
    assert.equal(x.mode, "loop");
    assert.equal(x.project.available, false);
    assert.match(x.project.reason, /project quotas unavailable on this kernel: built without CONFIG_XFS_QUOTA/);
    assert.match(x.reason, /^loop images \(project quotas unavailable on this kernel/);
    assert.equal(x.inodesAdjustable, false);
    const e = decideDiskMode(facts({ fs: "ext4", kernelConfig: thisVm, projectQuota: "ESRCH" }));
    assert.equal(e.mode, "loop");
    assert.match(e.project.reason, /unavailable on this kernel: .*CONFIG_QFMT_V2/);
  });

  it("says how to turn quota on when the kernel could but the mount does not", () => {
    const x = decideDiskMode(facts({ projectQuota: "ESRCH", superOptions: ["rw"] }));
    assert.equal(x.mode, "loop");
    assert.match(x.project.reason, /project quota is off on \/vservers \(quotactl: ESRCH\): mount it with -o prjquota/);
    const e = decideDiskMode(facts({ fs: "ext4", projectQuota: "ESRCH", superOptions: ["rw"] }));
    assert.match(e.project.reason, /tune2fs -O quota,project/);
  });

  it("does not trust accounting without enforcement (xfs pqnoenforce, ext4 quota feature without prjquota)", () => {
    assert.match(decideDiskMode(facts({ superOptions: ["rw", "pqnoenforce"] })).project.reason, /only accounts/);
    assert.equal(decideDiskMode(facts({ fs: "ext4", superOptions: ["rw"] })).mode, "loop");
  });

  it("tries for real when the kernel config is unreadable", () => {
    assert.equal(decideDiskMode(facts({ kernelConfig: undefined })).mode, "project");
    assert.equal(decideDiskMode(facts({ kernelConfig: undefined, projectQuota: "ESRCH" })).mode, "loop");
  });

  it("uses loop images on other filesystems (btrfs, tmpfs)", () => {
    const b = decideDiskMode(facts({ fs: "btrfs", projectQuota: "ENOSYS" }));
    assert.equal(b.mode, "loop");
    assert.match(b.project.reason, /need xfs or ext4; \/vservers is btrfs/);
  });

  it("reports no mode when loop images cannot work either", () => {
    const n = decideDiskMode(facts({ fs: "tmpfs", projectQuota: "ENOSYS", loopControl: false }));
    assert.equal(n.mode, null);
    assert.match(n.reason, /no disk limits possible: .*loop-control/);
    assert.equal(decideDiskMode(facts({ fs: "tmpfs", missingTool: "mkfs.ext4 not found; install the Debian package e2fsprogs" })).loop.available, false);
    assert.match(decideDiskMode(facts({ fs: "tmpfs", ext4Supported: false })).loop.reason, /no ext4 driver/);
  });
});
