/**
 * The CLI as an admin uses it (agent/bin/*, the esbuild bundle, no daemon): build a
 * busybox server, start it, and check from inside that it is isolated; status, exec and
 * enter; vps, vserver-stat, vuname, vattribute, vkill, vlimit, ip; reboot and noreboot;
 * refusals that change nothing; starts that fail half-way and leave nothing behind.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { closeSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import * as pty from "node-pty";
import { buildProbe } from "@/agent/src/testing/build-probe";
import { openGuestRoot } from "@/agent/src/kernel/guestfs/open-guest-root";
import { writeGuestFile } from "@/agent/src/kernel/guestfs/write-guest-file";
import { hostCgroups } from "@/agent/src/ops/runtime/host-cgroups";
import { readRunState } from "@/agent/src/ops/runtime/run-state";
import { binPath, buildBundle, makeTempHost, type TempHost } from "@/agent/src/ops/testing/temp-host";

let host: TempHost;

function run(tool: string, args: string[], input?: string): { code: number; out: string; err: string } {
  const r = spawnSync(binPath(tool), args, { env: host.env, input, encoding: "utf8", timeout: 120_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function sh(name: string, script: string): { code: number; out: string; err: string } {
  return run("vserver", [name, "exec", "/bin/sh", "-c", script]);
}

async function until<T>(what: string, probe: () => T | undefined | false, tries = 400): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = probe();
    if (v) return v;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function copyProbe(name: string, probe: string): void {
  const fd = openGuestRoot(`${host.paths.rootDir}/${name}`);
  try {
    writeGuestFile(fd, "/bin/probe", readFileSync(probe), { mode: 0o755 });
  } finally {
    closeSync(fd);
  }
}

describe("vserver CLI (busybox servers, real kernel)", () => {
  let probe = "";
  before(() => {
    buildBundle();
    host = makeTempHost();
    probe = buildProbe(host.base);
  });
  after(async () => {
    await host.cleanup();
  });

  it("builds a busybox server and refuses a second build, bad names and unknown servers without changing anything", () => {
    const b = run("vserver", ["web", "build", "-m", "busybox", "--hostname", "web.example.test", "--memory", "256M", "--pids", "200"]);
    assert.equal(b.code, 0, b.err);
    assert.equal(readFileSync(`${host.paths.confDir}/web/uts/nodename`, "utf8"), "web.example.test\n");
    assert.equal(readFileSync(`${host.paths.confDir}/web/context`, "utf8"), "100\n");
    assert.equal(readFileSync(`${host.paths.confDir}/web/apps/init/mark`, "utf8"), "default\n");
    assert.equal(readFileSync(`${host.paths.confDir}/web/limits/memory`, "utf8"), "256M\n");
    assert.equal(fs.readlinkSync(`${host.paths.confDir}/web/vdir`), `${host.paths.rootDir}/web`);
    copyProbe("web", probe);
    const again = run("vserver", ["web", "build", "-m", "busybox"]);
    assert.equal(again.code, 6, again.err);
    assert.match(again.err, /already exists/);
    const bad = run("vserver", ["Bad_Name", "build", "-m", "busybox"]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /name/);
    const taken = run("vserver", ["other", "build", "-m", "busybox", "--context", "100"]);
    assert.equal(taken.code, 6);
    assert.match(taken.err, /context: 100 is used by vserver "web"/);
    assert.deepEqual(fs.readdirSync(host.paths.confDir).filter((n) => !n.startsWith(".")), ["web"]);
    // util-vserver's code for an unknown server.
    assert.equal(run("vserver", ["nosuch", "status"]).code, 5);
    assert.equal(run("vserver", ["nosuch", "start"]).code, 5);
    assert.equal(run("vserver", ["nosuch", "running"]).code, 5);
    assert.equal(run("vserver", ["web", "frobnicate"]).code, 2);
    assert.match(run("vserver", ["--help"]).out, /Usage: vserver .*NAME VERB/);
  });

  it("starts; status is 0 running / 3 stopped; a second start is a wrong-state error", () => {
    const st = run("vserver", ["web", "status"]);
    assert.equal(st.code, 3, st.out);
    const s = run("vserver", ["web", "start"]);
    assert.equal(s.code, 0, s.err);
    assert.equal(run("vserver", ["web", "status"]).code, 0);
    const again = run("vserver", ["web", "start"]);
    assert.equal(again.code, 4);
    assert.match(again.err, /already running/);
  });

  it("inside: init is PID 1, only the guest's processes, its own hostname, no escape, masked /proc and /sys", () => {
    const r = sh("web", [
      "echo pid1=$(cat /proc/1/comm)",
      "echo procs=$(ls -d /proc/[0-9]* | wc -l)",
      `test -e /proc/${process.pid} && echo hostpid=visible || echo hostpid=hidden`,
      "echo host=$(hostname)",
      "/bin/probe escape /etc/vst-marker-never-in-guest",
      "cat /proc/kcore >/dev/null 2>&1 && echo kcore=read || echo kcore=denied",
      "echo keys=$(cat /proc/keys 2>/dev/null | wc -c)",
      "echo firmware=$(ls /sys/firmware 2>/dev/null | wc -l)",
      "echo h > /proc/sysrq-trigger 2>/dev/null && echo sysrq=written || echo sysrq=denied",
      "echo x > /proc/sys/kernel/core_pattern 2>/dev/null && echo core=written || echo core=denied",
    ].join("; "));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^pid1=init$/m);
    // init, the shell, the command substitution's subshell, ls and wc: nothing of the host.
    assert.ok(Number(/^procs=(\d+)$/m.exec(r.out)?.[1]) <= 6, r.out);
    if (process.pid > 20) assert.match(r.out, /^hostpid=hidden$/m);
    assert.match(r.out, /^host=web\.example\.test$/m);
    assert.notEqual(os.hostname(), "web.example.test");
    assert.match(r.out, /marker unreachable/);
    assert.match(r.out, /host-work absent/);
    assert.match(r.out, /kcore=denied|^$/m);
    assert.match(r.out, /^keys=0$/m);
    assert.match(r.out, /^firmware=0$/m);
    assert.match(r.out, /^sysrq=denied$/m);
    assert.match(r.out, /^core=denied$/m);
  });

  it("inside: no host disk, no modules, no clock, no signals to host processes", () => {
    const disk = fs.statSync("/dev/vda", { throwIfNoEntry: false }) ?? fs.statSync("/dev/sda", { throwIfNoEntry: false });
    const dev = disk ? `${Math.floor(disk.rdev / 256)} ${disk.rdev % 256}` : "8 0";
    const r = sh("web", [
      // With its own user namespace (the default) mknod of a device is refused already;
      // with shared uids the node is made but the device cgroup denies opening it.
      `mknod /tmp/disk b ${dev} 2>/dev/null && (dd if=/tmp/disk of=/dev/null bs=512 count=1 2>/dev/null && echo disk=read || echo disk=denied) || echo disk=denied`,
      "echo junk > /tmp/m.ko; insmod /tmp/m.ko 2>&1 | grep -q 'not permitted' && echo module=denied || echo module=other",
      // busybox date reports a failed set on stderr but exits 0: look at the message.
      "date -s 2001-01-01 2>&1 >/dev/null | grep -q 'not permitted' && echo clock=denied || echo clock=set",
      `kill -0 ${process.pid} 2>/dev/null && echo signal=reached || echo signal=denied`,
    ].join("; "));
    assert.match(r.out, /^disk=denied$/m, r.out + r.err);
    assert.match(r.out, /^module=denied$/m);
    assert.match(r.out, /^clock=denied$/m);
    assert.match(r.out, /^signal=denied$/m);
    assert.ok(new Date().getFullYear() > 2001);
  });

  it("exec passes stdin, stdout and stderr through and exits with the command's code", () => {
    const r = run("vserver", ["web", "exec", "/bin/sh", "-c", "cat; echo to-err >&2; exit 7"], "from-stdin\n");
    assert.equal(r.code, 7);
    assert.equal(r.out, "from-stdin\n");
    assert.equal(r.err, "to-err\n");
    assert.equal(run("vserver", ["web", "exec", "/bin/true"]).code, 0);
    assert.equal(run("vserver", ["web", "exec", "/bin/false"]).code, 1);
  });

  it("enter gives a login shell on a pty from the guest's devpts", async () => {
    const term = pty.spawn(binPath("vserver"), ["web", "enter"], { cols: 100, rows: 30, env: host.env as Record<string, string> });
    let out = "";
    term.onData((d) => (out += d));
    const exited = new Promise<number>((resolve) => term.onExit((e) => resolve(e.exitCode)));
    term.write("tty; stty size; echo MARK$((6*7))\r");
    await until("shell output", () => /MARK42/.test(out));
    term.write("exit 3\r");
    assert.equal(await exited, 3);
    assert.match(out, /\/dev\/pts\/0/);
    assert.match(out, /30 100/);
  });

  it("vps and vserver-stat show each process's context", async () => {
    const state = readRunState(host.paths, "web")!;
    const vps = run("vps", ["--vuid", "-eo", "pid,uid,comm"]);
    assert.equal(vps.code, 0, vps.err);
    assert.match(vps.out, /^\s*PID CONTEXT\s+VUID\s+UID COMMAND$/m);
    // Guest root (VUID 0) is the first uid of the server's range on the host.
    assert.match(vps.out, new RegExp(`^\\s*${state.initPid}\\s+100 web\\s+0\\s+${state.uidmap!.start} init$`, "m"));
    assert.match(vps.out, new RegExp(`^\\s*${process.pid}\\s+0 MAIN\\s+-\\s+0 `, "m"));
    // util-vserver's own layout: CONTEXT alone, 20 wide, whatever the names.
    const plain = run("vps", ["-eo", "pid,comm"]);
    assert.match(plain.out, /^\s*PID CONTEXT {14}COMMAND$/m);
    assert.match(plain.out, new RegExp(`^\\s*${state.initPid}   100 web {12}init$`, "m"));
    const stat = run("vserver-stat", []);
    assert.equal(stat.code, 0, stat.err);
    assert.equal(stat.out.split("\n")[0], "CTX   PROC    VSZ    RSS  userTIME   sysTIME    UPTIME NAME");
    assert.match(stat.out, /^0 {4}.{50}root server$/m);
    assert.match(stat.out, /^100 {6}1 .{44}web$/m);
  });

  it("vuname changes the hostname live and persistently; the host keeps its own", () => {
    const before = os.hostname();
    const r = run("vuname", ["web", "--set", "--nodename", "renamed"]);
    assert.equal(r.code, 0, r.err);
    assert.match(sh("web", "hostname; cat /etc/hostname").out, /^renamed\nrenamed\n$/);
    assert.equal(os.hostname(), before);
    assert.equal(readFileSync(`${host.paths.confDir}/web/uts/nodename`, "utf8"), "renamed\n");
    assert.equal(run("vuname", ["web", "--set", "--nodename", "bad_host!"]).code, 2);
  });

  it("vlimit shows and changes limits live; bad values change nothing", async () => {
    const show = run("vlimit", ["web"]);
    assert.match(show.out, /^memory\s+256M$/m);
    assert.match(show.out, /^state\s+running$/m);
    assert.equal(run("vlimit", ["web", "--pids", "123", "--cpu", "0.5"]).code, 0);
    const cg = await hostCgroups();
    const limits = await cg.readLimits("web");
    assert.equal(limits.pids, 123);
    assert.equal(limits.cpuQuota, 0.5);
    const bad = run("vlimit", ["web", "--pids", "123", "--memory", "lots"]);
    assert.equal(bad.code, 2);
    assert.equal(readFileSync(`${host.paths.confDir}/web/limits/pids`, "utf8"), "123\n");
    // web was built without a disk area: one cannot be added to a populated root.
    assert.equal(run("vlimit", ["web", "--disk", "2G"]).code, 1);
  });

  it("delete refuses a running server and changes nothing", () => {
    const r = run("vserver", ["web", "delete"]);
    assert.equal(r.code, 4);
    assert.match(r.err, /running/);
    assert.equal(run("vserver", ["web", "status"]).code, 0);
    assert.ok(fs.existsSync(`${host.paths.rootDir}/web/bin/busybox`));
  });

  it("SysV IPC is not shared between two servers", () => {
    assert.equal(run("vserver", ["db", "build", "--busybox"]).code, 0);
    copyProbe("db", probe);
    assert.equal(run("vserver", ["db", "start"]).code, 0);
    assert.match(sh("web", "/bin/probe ipc-create 0x5674 && /bin/probe ipc-check 0x5674").out, /shm present msg present/);
    assert.match(sh("db", "/bin/probe ipc-check 0x5674").out, /shm absent msg absent/);
    assert.equal(run("vserver", ["db", "stop", "--timeout", "0"]).code, 0);
  });

  it("a reboot inside restarts only the guest; with the noreboot flag it stops", async () => {
    const first = readRunState(host.paths, "web")!;
    sh("web", "reboot");
    const next = await until("a new init", () => {
      const s = readRunState(host.paths, "web");
      return s && s.initPid !== first.initPid ? s : undefined;
    });
    assert.equal(run("vserver", ["web", "status"]).code, 0);
    assert.match(sh("web", "hostname").out, /^renamed$/m);
    assert.equal(run("vattribute", ["web", "--set", "--flag", "noreboot"]).code, 0);
    sh("web", "reboot");
    await until("the server to stop", () => readRunState(host.paths, "web") === null);
    assert.equal(run("vserver", ["web", "status"]).code, 3);
    const cg = await hostCgroups();
    assert.equal(await cg.exists("web"), false);
    assert.ok(next.initPid !== first.initPid);
  });

  it("vkill signals every process of a server; stop and restart work", async () => {
    assert.equal(run("vattribute", ["web", "--set", "--flag", "~noreboot"]).code, 0);
    // A new build restarts after its init is killed (issue 13): here the kill is to stop it.
    assert.equal(run("vserver", ["web", "restart-policy", "never"]).code, 0);
    assert.equal(run("vserver", ["web", "start"]).code, 0);
    sh("web", "sleep 1000 & sleep 1000 & true");
    const k = run("vkill", ["web", "-s", "KILL"]);
    assert.equal(k.code, 0, k.err);
    await until("the server to stop after its init was killed", () => readRunState(host.paths, "web") === null);
    assert.equal(run("vserver", ["web", "status"]).code, 3);
    assert.equal(run("vkill", ["--xid", "100"]).code, 4);
    assert.equal(run("vserver", ["web", "restart"]).code, 0);
    assert.equal(run("vserver", ["web", "stop"]).code, 0);
    assert.equal(run("vserver", ["web", "stop"]).code, 4);
  });

  it("a start that fails half-way (missing bind source, broken init) leaves no cgroup, run state or process", async () => {
    const cg = await hostCgroups();
    fs.writeFileSync(`${host.paths.confDir}/web/fstab`, "/nonexistent/vst-source /shared none bind,ro 0 0\n");
    const a = run("vserver", ["web", "start"]);
    assert.equal(a.code, 1, a.err);
    assert.match(a.err, /could not start/);
    assert.equal(await cg.exists("web"), false);
    assert.equal(readRunState(host.paths, "web"), null);
    fs.rmSync(`${host.paths.confDir}/web/fstab`);
    fs.mkdirSync(`${host.paths.confDir}/web/init`, { recursive: true });
    fs.writeFileSync(`${host.paths.confDir}/web/init/argv`, "/sbin/no-such-init\n");
    const b = run("vserver", ["web", "start"]);
    assert.equal(b.code, 1, b.err);
    assert.equal(await cg.exists("web"), false);
    assert.equal(readRunState(host.paths, "web"), null);
    fs.rmSync(`${host.paths.confDir}/web/init`, { recursive: true });
    fs.writeFileSync(`${host.paths.confDir}/web/flags`, "nosuchflag\n");
    const c = run("vserver", ["web", "start"]);
    assert.equal(c.code, 2);
    assert.match(c.err, /flags: unknown flag "nosuchflag"/);
    fs.rmSync(`${host.paths.confDir}/web/flags`);
  });

  it("run starts a fresh server with a command as init and returns its exit status", () => {
    const t = run("vserver", ["web", "run", "/bin/true"]);
    assert.equal(t.code, 0, t.err);
    assert.equal(run("vserver", ["web", "run", "/bin/sh", "-c", "exit 9"]).code, 9);
    assert.equal(run("vserver", ["web", "status"]).code, 3);
  });

  it("addresses: built in, visible inside, added live, gone with the stop", () => {
    assert.equal(run("vserver", ["net1", "build", "-m", "busybox", "--interface", "192.0.2.10/32"]).code, 0);
    assert.equal(run("vserver", ["net1", "start"]).code, 0);
    assert.match(sh("net1", "ip -o addr show eth0").out, /192\.0\.2\.10\/32/);
    const add = run("vserver", ["net1", "ip", "add", "192.0.2.11/32"]);
    assert.equal(add.code, 0, add.err);
    assert.match(sh("net1", "ip -o addr show eth0").out, /192\.0\.2\.11\/32/);
    assert.equal(run("vserver", ["web", "ip", "add", "192.0.2.11/32"]).code, 6);
    assert.equal(run("vserver", ["net1", "stop", "--timeout", "0"]).code, 0);
    assert.equal(spawnSync("ip", ["link", "show", "vsh101"]).status !== 0, true);
    assert.equal(run("vserver", ["net1", "delete"]).code, 0);
  });

  it("disk limit: an image area from the build on, ENOSPC at the limit, grown while stopped, released by delete", () => {
    assert.equal(run("vserver", ["disk1", "build", "--busybox", "--disk", "64M"]).code, 0);
    assert.equal(readFileSync(`${host.paths.confDir}/disk1/dlimits/mode`, "utf8").trim(), "loop");
    assert.equal(run("vserver", ["disk1", "start"]).code, 0);
    const full = sh("disk1", "dd if=/dev/zero of=/big bs=1M count=100 2>&1; rm -f /big");
    assert.match(full.out, /No space left on device/);
    assert.equal(run("vserver", ["disk1", "stop", "--timeout", "0"]).code, 0);
    const grow = run("vlimit", ["disk1", "--disk", "128M"]);
    assert.equal(grow.code, 0, grow.err);
    assert.equal(run("vserver", ["disk1", "start"]).code, 0);
    const df = sh("disk1", "df -k / | tail -1").out.trim().split(/\s+/);
    assert.ok(Number(df[1]) > 100 * 1024, df.join(" "));
    assert.equal(run("vserver", ["disk1", "stop", "--timeout", "0"]).code, 0);
    assert.equal(run("vserver", ["disk1", "delete"]).code, 0);
    assert.equal(fs.existsSync(`${host.paths.rootDir}/.images/disk1.img`), false);
    assert.equal(fs.existsSync(`${host.paths.rootDir}/disk1`), false);
  });

  it("delete removes a stopped server's config, root and run state", () => {
    assert.equal(run("vserver", ["web", "delete"]).code, 0);
    assert.equal(fs.existsSync(`${host.paths.confDir}/web`), false);
    assert.equal(fs.existsSync(`${host.paths.rootDir}/web`), false);
    assert.equal(run("vserver", ["web", "status"]).code, 5);
  });
});
