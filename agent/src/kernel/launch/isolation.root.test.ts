/**
 * The start sequence on the real kernel: a busybox vserver started with the default
 * policy, attacked from inside through vs-enter (SECURITY.md "Attacks the test suite
 * must show failing").
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { after, before, describe, it } from "node:test";
import { buildProbe } from "@/agent/src/testing/build-probe";
import { setVserverUts } from "./set-vserver-uts";
import { cgroupPids } from "@/agent/src/testing/cleanup";
import { startTestVserver, type TestVserver } from "@/agent/src/testing/test-vserver";

describe("a started vserver", () => {
  let a: TestVserver | undefined;
  let b: TestVserver | undefined;
  let hostSleeper: ChildProcess | undefined;
  let probeDir: string | undefined;
  let marker = "";
  const hostName = hostname();
  const corePattern = readFileSync("/proc/sys/kernel/core_pattern", "utf8");

  before(async () => {
    probeDir = mkdtempSync("/tmp/vst-probe-");
    marker = `${probeDir}/host-marker`;
    writeFileSync(marker, "host secret\n");
    const files = { "/bin/probe": { data: readFileSync(buildProbe(probeDir)), mode: 0o755 } };
    a = await startTestVserver("a", { files });
    b = await startTestVserver("b", { files });
    hostSleeper = spawn("sleep", ["600"], { stdio: "ignore" });
  });

  after(async () => {
    hostSleeper?.kill("SIGKILL");
    await a?.cleanup();
    await b?.cleanup();
    if (probeDir) rmSync(probeDir, { recursive: true, force: true });
  });

  it("runs its init as PID 1 and sees only its own processes", async () => {
    const r = await a!.sh("cat /proc/1/cmdline | tr '\\0' ' '; echo; ls /proc | grep -E '^[0-9]+$' | wc -l");
    assert.equal(r.code, 0, r.stderr);
    const [cmdline, count] = r.stdout.trim().split("\n");
    assert.match(cmdline ?? "", /^(\/sbin\/)?init\b/);
    // init, sh, ls, grep, wc (+cat gone): a handful, never the host's hundreds
    assert.ok(Number(count) <= 8, `saw ${count} processes`);
    assert.ok(cgroupPids(a!.cg.dirs[0]!).includes(a!.started.initPid), "init joined the cgroup");
  });

  it("holds no host fds: the init and entered commands, and the monitor holds none of the guest's", async () => {
    const r = await a!.sh("ls -l /proc/1/fd /proc/$$/fd");
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /socket:|\/tmp\/vst|\/work|anon_inode/);
    const mon = a!.started.monitorPid;
    const links = readdirSync(`/proc/${mon}/fd`).map((f) => readlinkSync(`/proc/${mon}/fd/${f}`));
    assert.ok(links.every((l) => !l.startsWith(a!.bb.root)), links.join(" "));
    assert.doesNotMatch(readFileSync(`/proc/${mon}/cgroup`, "utf8"), /vst-a-/, "monitor is not in the guest cgroup");
  });

  it("has its own hostname, which only the agent changes, and the host's stays", async () => {
    const r = await a!.sh("hostname; hostname vst-renamed; hostname");
    // sethostname needs CAP_SYS_ADMIN, which the guest does not have.
    assert.equal(r.stdout, "vst-a\nvst-a\n");
    assert.match(r.stderr, /Operation not permitted/);
    await setVserverUts(a!.target, { hostname: "vst-renamed", domainname: "example.test" });
    const after = await a!.sh("hostname; cat /proc/sys/kernel/domainname");
    assert.equal(after.stdout, "vst-renamed\nexample.test\n");
    assert.equal((await b!.sh("hostname")).stdout, "vst-b\n");
    assert.equal(hostname(), hostName);
  });

  it("cannot chroot-escape to the host (chroot in a subdir, cd .. 64 times)", async () => {
    const r = await a!.sh(`/bin/probe escape ${marker}`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /marker unreachable/);
    assert.match(r.stdout, /bin-busybox present/); // still the guest's own root
    assert.match(r.stdout, /host-work absent/);
  });

  it("masks /proc/kcore, /proc/keys, /proc/timer_list and /sys/firmware", async () => {
    const r = await a!.sh("cat /proc/keys /proc/timer_list /proc/kallsyms 2>/dev/null | wc -c; ls -A /sys/firmware | wc -l; cat /proc/kcore 2>/dev/null | wc -c");
    assert.deepEqual(r.stdout.trim().split(/\s+/), ["0", "0", "0"]);
  });

  it("cannot write /proc/sysrq-trigger or /proc/sys/kernel/core_pattern", async () => {
    const r = await a!.sh("echo h > /proc/sysrq-trigger; echo $?; echo '|/tmp/x' > /proc/sys/kernel/core_pattern; echo $?");
    const [s1, s2] = r.stdout.trim().split("\n");
    assert.notEqual(s1, "0");
    assert.notEqual(s2, "0");
    assert.match(r.stderr, /Read-only file system/);
    assert.equal(readFileSync("/proc/sys/kernel/core_pattern", "utf8"), corePattern);
  });

  it("may mknod (CAP_MKNOD) but cannot read a disk or /dev/mem through it (device cgroup)", async () => {
    const st = statSync("/");
    const maj = Math.floor(st.dev / 256) & 0xfff;
    const min = (st.dev & 0xff) | ((st.dev >> 12) & 0xfff00);
    const r = await a!.sh(
      `mknod /tmp/disk b ${maj} ${min} && echo made; head -c 512 /tmp/disk | wc -c; mknod /tmp/mem c 1 1 && head -c 1 /tmp/mem | wc -c`,
    );
    assert.match(r.stdout, /^made\n0\n0\n$/);
    assert.match(r.stderr, /Operation not permitted/);
  });

  it("cannot load kernel modules", async () => {
    const r = await a!.sh("echo notamodule > /tmp/x.ko; insmod /tmp/x.ko");
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Operation not permitted|Function not implemented/);
  });

  it("cannot change the clock", async () => {
    const before = Date.now();
    const r = await a!.sh("date -s 2001-01-01");
    // busybox date reports the failure but exits 0
    assert.match(r.stderr, /can't set date: Operation not permitted/);
    assert.ok(Math.abs(Date.now() - before) < 3_600_000);
  });

  it("cannot see or signal host processes", async () => {
    const pid = hostSleeper!.pid!;
    const r = await a!.sh(`kill -9 ${pid}; echo $?; ls /proc/${pid} 2>&1 >/dev/null | wc -l`);
    assert.match(r.stderr, /No such process/);
    assert.notEqual(r.stdout.split("\n")[0], "0");
    assert.equal(hostSleeper!.exitCode, null);
    assert.equal(hostSleeper!.signalCode, null);
  });

  it("does not share SysV IPC with another vserver", async () => {
    const c = await a!.sh("/bin/probe ipc-create 0x5673 && /bin/probe ipc-check 0x5673");
    assert.match(c.stdout, /shm present msg present/, c.stdout + c.stderr);
    const other = await b!.sh("/bin/probe ipc-check 0x5673");
    assert.match(other.stdout, /shm absent msg absent/);
  });

  it("exec returns when the command exits, even if it left a daemon running", async () => {
    const r = await a!.sh("sleep 1000 & echo started");
    assert.equal(r.stdout, "started\n");
    const ps = await a!.sh("ps -o comm | grep -c '^sleep'");
    assert.equal(ps.stdout.trim(), "1");
  });

  it("cannot create user namespaces (seccomp), nor other namespaces (no CAP_SYS_ADMIN)", async () => {
    const r = await a!.sh("unshare -U true; echo $?; unshare -m true; echo $?");
    const codes = r.stdout.trim().split("\n");
    assert.equal(codes.length, 2);
    assert.ok(codes.every((c) => c !== "0"), r.stdout);
    assert.match(r.stderr, /Operation not permitted/);
  });
});
