import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { buildStartSpec } from "./build-start-spec";
import { encodeStartSpec } from "./encode-start-spec";
import { ownViewEntries } from "./own-view-mounts";

describe("own-view mounts", () => {
  it("binds the files the LXCFS mount offers, read-only, and skips the ones it lacks", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-ownview-"));
    try {
      fs.mkdirSync(path.join(dir, "proc"));
      fs.writeFileSync(path.join(dir, "proc", "meminfo"), "");
      fs.writeFileSync(path.join(dir, "proc", "uptime"), "");
      const e = ownViewEntries(dir);
      assert.deepEqual(e.map((m) => m.target), ["/proc/meminfo", "/proc/uptime"]);
      assert.equal(e[0]!.source, path.join(dir, "proc", "meminfo"));
      assert.equal(e[0]!.kind, "bind");
      assert.ok(e[0]!.flags.includes("ro"));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("go after the fstab's mounts and before the masks; nofile reaches the spec", () => {
    const own = [{ op: "mount" as const, kind: "bind" as const, target: "/proc/meminfo", source: "/x/proc/meminfo", flags: ["ro" as const] }];
    const fstab = [{ op: "mount" as const, kind: "tmpfs" as const, target: "/mnt", flags: [] }];
    const spec = buildStartSpec({ root: "/r", runDir: "/run/x", cgroupProcs: [], extraMounts: fstab, ownView: own, nofile: 1024 });
    const targets = spec.setup.map((s) => ("target" in s ? s.target : s.path));
    const at = targets.indexOf("/proc/meminfo");
    assert.ok(at > targets.indexOf("/mnt"));
    assert.ok(at < targets.indexOf("/proc/kcore"));
    assert.match(encodeStartSpec(spec).toString("latin1"), /rlimit-nofile/);
    assert.equal(spec.nofile, 1024);
    assert.throws(() => encodeStartSpec({ ...spec, nofile: 0 }), /nofile/);
  });
});
