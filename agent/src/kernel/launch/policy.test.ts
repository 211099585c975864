/** The default policy as data: capability sets, seccomp numbers, mount order, encoding. */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { RecordDecoder } from "./records";
import { applyBcapabilities, capabilityName, capabilityNumber, CAPABILITY_NAMES } from "./capabilities";
import { DEFAULT_KEPT_CAPABILITIES, defaultKeptCaps } from "./default-caps";
import { defaultSeccomp, CLONE_NEWUSER } from "./default-seccomp";
import { buildStartSpec } from "./build-start-spec";
import { encodeStartSpec } from "./encode-start-spec";
import { SYSCALLS } from "./syscalls";
import { MASKED_PATHS } from "./default-mounts";

describe("capabilities", () => {
  it("maps names and numbers both ways (uapi order)", () => {
    assert.equal(capabilityNumber("CAP_SYS_ADMIN"), 21);
    assert.equal(capabilityNumber("net_admin"), 12);
    assert.equal(capabilityNumber("CAP_NOPE"), undefined);
    assert.equal(capabilityName(40), "CAP_CHECKPOINT_RESTORE");
    assert.equal(CAPABILITY_NAMES.length, 41);
  });

  it("keeps Docker's set plus SYS_BOOT, without the dangerous ones", () => {
    const keep = defaultKeptCaps().map(capabilityName);
    for (const c of ["CAP_SYS_BOOT", "CAP_MKNOD", "CAP_CHOWN", "CAP_SETUID", "CAP_KILL", "CAP_NET_BIND_SERVICE"]) assert.ok(keep.includes(c as never), c);
    for (const c of ["CAP_SYS_ADMIN", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_TIME", "CAP_SYS_PTRACE", "CAP_SYS_RESOURCE",
      "CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE", "CAP_SYSLOG", "CAP_DAC_READ_SEARCH", "CAP_NET_ADMIN", "CAP_BPF", "CAP_PERFMON"])
      assert.ok(!keep.includes(c as never), c);
    assert.equal(DEFAULT_KEPT_CAPABILITIES.length, keep.length);
  });

  it("applies a util-vserver bcapabilities file and rejects typos", () => {
    const base = defaultKeptCaps();
    const out = applyBcapabilities(base, "# plan extras\nCAP_NET_ADMIN\n~SYS_BOOT\n");
    assert.ok(out.includes(12));
    assert.ok(!out.includes(22));
    assert.throws(() => applyBcapabilities(base, "CAP_NET_ADMN\n"), /unknown capability/);
  });
});

describe("seccomp deny-list", () => {
  it("uses the kernel's syscall numbers (checked against the installed headers)", (t) => {
    const h64 = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h";
    const h32 = "/usr/include/x86_64-linux-gnu/asm/unistd_32.h";
    if (!existsSync(h64) || !existsSync(h32)) return t.skip("kernel headers not installed");
    const table = (f: string) => new Map([...readFileSync(f, "utf8").matchAll(/#define __NR_(\w+) (\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
    const n64 = table(h64);
    const n32 = table(h32);
    for (const [name, nr] of Object.entries(SYSCALLS)) {
      assert.equal(nr.x86_64, n64.get(name) ?? null, `${name} x86_64`);
      assert.equal(nr.i386, n32.get(name) ?? null, `${name} i386`);
    }
  });

  it("denies module loading, kexec, keyrings, bpf, clock setting; clone3 with ENOSYS; CLONE_NEWUSER by mask", () => {
    const p = defaultSeccomp();
    const by = new Map(p.x86_64.map((r) => [r.nr, r]));
    for (const n of ["init_module", "finit_module", "kexec_load", "keyctl", "bpf", "clock_settime", "open_by_handle_at"] as const)
      assert.equal(by.get(SYSCALLS[n].x86_64!)?.errno, 1, n);
    assert.equal(by.get(SYSCALLS.clone3.x86_64)?.errno, 38);
    assert.deepEqual(by.get(SYSCALLS.unshare.x86_64)?.arg, { index: 0, mask: CLONE_NEWUSER });
    assert.ok(!by.has(169), "reboot stays allowed (pid-namespace scoped)");
    assert.ok(Array.isArray(p.i386) && p.i386.some((r) => r.nr === SYSCALLS.stime.i386));
  });
});

describe("start spec", () => {
  const spec = buildStartSpec({ root: "/vservers/a", runDir: "/run/vservers/a", cgroupProcs: ["/sys/fs/cgroup/pids/a/cgroup.procs"], hostname: "a" });

  it("orders /proc, /sys, /dev, its nodes, devpts; masks and read-only paths last", () => {
    const targets = spec.setup.map((e) => (e.op === "mount" ? `${e.kind}:${e.target}` : `${e.op}:${e.path}`));
    const at = (x: string) => targets.indexOf(x);
    assert.ok(at("proc:/proc") < at("tmpfs:/dev") && at("tmpfs:/dev") < at("device:/dev/null"));
    assert.ok(at("device:/dev/null") < at("devpts:/dev/pts"));
    assert.ok(at("devpts:/dev/pts") < at("mask:/proc/kcore"));
    assert.ok(at("mask:/sys/firmware") < at("readonly:/proc/sys"));
    for (const m of MASKED_PATHS) assert.ok(at(`mask:${m}`) >= 0, m);
    assert.equal(spec.noNewPrivs, false);
    assert.deepEqual(spec.argv, ["/sbin/init"]);
  });

  it("encodes to records vs-start understands", () => {
    const recs = new RecordDecoder().push(encodeStartSpec(spec));
    assert.deepEqual(recs[0], { key: "version", fields: ["1"] });
    const get = (k: string) => recs.filter((r) => r.key === k);
    assert.deepEqual(get("root")[0]?.fields, ["/vservers/a"]);
    assert.deepEqual(get("device").find((r) => r.fields[0] === "/dev/null")?.fields, ["/dev/null", "1", "3", "666", ""]);
    assert.deepEqual(get("mount")[0]?.fields, ["proc", "/proc", "nosuid,nodev,noexec", ""]);
    assert.equal(get("seccomp")[0]?.fields[0], "list");
    assert.ok(get("syscall").some((r) => r.fields.length === 5 && r.fields[4] === "0x10000000"));
    assert.deepEqual(get("caps")[0]?.fields, defaultKeptCaps().map(String));
  });
});
