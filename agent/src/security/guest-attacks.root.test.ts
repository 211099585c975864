/**
 * SECURITY.md's attacks from inside a running busybox server, for each cgroup backend
 * (testing/guest-hosts.ts: v1 through the product's CLI, v2 on the unified mount) and
 * each per-server mode (testing/server-modes.ts): guest root's uid on the host, escaping
 * the root, seeing, signalling or tracing host and neighbour processes, the masked and read-only /proc and /sys,
 * device nodes, modules, the clock, the hostname, cgroup escapes, SysV IPC and reboot.
 * Every attack asserts the safe outcome on the host and on a neighbour, and a control
 * where one makes sense (ptrace works on the guest's own processes), so a test that
 * cannot fail is not mistaken for protection.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { buildProbe } from "../testing/build-probe";
import { cgroupPids, waitGone } from "../testing/cleanup";
import { until } from "../ops/limits/testing/cli-host";
import { buildAttackProbes } from "./testing/build-attack-probe";
import { CGROUP_VARIANTS, type Guest, type GuestHost } from "./testing/guest-hosts";
import { serverModes } from "./testing/server-modes";

/** The "what result" lines of the attack probe as a map. */
function results(out: string): Map<string, string> {
  return new Map(out.trim().split("\n").map((l) => { const i = l.lastIndexOf(" "); return [l.slice(0, i), l.slice(i + 1)]; }));
}

/** Host pids in a guest's cgroup whose command is `comm`. */
function pidsWithComm(g: Guest, comm: string): number[] {
  return cgroupPids(path.dirname(g.cgroupProcs()[0]!)).filter((p) => {
    try {
      return fs.readFileSync(`/proc/${p}/comm`, "utf8").trim() === comm;
    } catch {
      return false;
    }
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

for (const variant of CGROUP_VARIANTS) {
  const variantSkip = await variant.skip();
  for (const mode of serverModes()) {
    describe(`hostile guest (${variant.title}; ${mode.mode})`, { skip: variantSkip || mode.skip }, () => {
      let host: GuestHost;
      let a: Guest;
      let b: Guest;
      let sleeper: ChildProcess | undefined;
      let marker = "";
      const corePattern = fs.readFileSync("/proc/sys/kernel/core_pattern", "utf8");
      const hostName = os.hostname();

      before(async () => {
        host = await variant.open(mode);
        const probes = buildAttackProbes(host.scratch);
        const files = { "/bin/probe": buildProbe(host.scratch), "/bin/attack-probe": probes.probe };
        marker = path.join(host.scratch, "host-marker");
        fs.writeFileSync(marker, "host secret\n");
        a = await host.server("a", files);
        b = await host.server("b", files);
        sleeper = spawn("sleep", ["600"], { stdio: "ignore" });
      });
      after(async () => {
        sleeper?.kill("SIGKILL");
        if (sleeper?.pid) await waitGone(sleeper.pid, 100);
        await host?.cleanup();
      });

      it(`guest root on the host: ${mode.mode === "userns" ? "an unprivileged uid of a range of its own, not the neighbour's" : "uid 0 (shared uids)"}`, async () => {
        const hostUid = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]);
        const r = await a.sh("id -u; cat /proc/self/uid_map");
        assert.match(r.out, /^0\n/, "root inside");
        const [ua, ub] = [hostUid(a.initPid()), hostUid(b.initPid())];
        if (mode.mode === "userns") {
          assert.ok(ua >= 1 << 20 && ub >= 1 << 20, `host uids ${ua}, ${ub}`);
          assert.ok(Math.abs(ua - ub) >= 65536, `the ranges of a (${ua}) and b (${ub}) overlap`);
          assert.match(r.out, new RegExp(`^\\s*0\\s+${ua}\\s+65536\\s*$`, "m"), r.out);
        } else {
          assert.deepEqual([ua, ub], [0, 0]);
          assert.match(r.out, /^\s*0\s+0\s+4294967295\s*$/m, r.out);
        }
      });

      it("escape the root: chroot in a subdirectory then cd .. 64 times, a saved fd of /, ../ from it", async () => {
        const r = await a.sh(`/bin/probe escape ${marker}; /bin/attack-probe escape-fd ${marker}`);
        assert.equal(r.code, 0, r.err);
        assert.doesNotMatch(r.out, /REACHED|MOVED|host-work present/, r.out);
        assert.match(r.out, /^chroot ok$/m, "the guest may chroot (CAP_SYS_CHROOT): the attack really ran");
        assert.equal(r.out.match(/^marker unreachable$/gm)?.length, 2, r.out);
        assert.equal(r.out.match(/^bin-busybox present$/gm)?.length, 2, "still the guest's own root");
      });

      it("mount --rbind, bind, open_tree, fsopen or a new proc: refused, the guest's mounts unchanged", async () => {
        const before = await a.sh("cat /proc/self/mountinfo");
        const r = await a.sh("mkdir -p /tmp/r; mount --rbind / /tmp/r; echo rbind=$?; /bin/attack-probe mounts /proc/1/root /tmp/m");
        assert.match(r.out, /^rbind=[1-9]/m, r.out);
        const got = results(r.out.split("\n").slice(1).join("\n"));
        for (const what of ["bind", "rbind", "open_tree", "fsopen", "mount-proc", "remount-proc-sys-rw"]) assert.equal(got.get(what), "EPERM", `${what}: ${r.out}`);
        assert.equal((await a.sh("cat /proc/self/mountinfo")).out, before.out);
      });

      it("host processes: not listed by ps, no /proc/PID, kill fails; the host's process lives", async () => {
        const pid = sleeper!.pid!;
        const r = await a.sh(`kill -9 ${pid}; echo kill=$?; test -e /proc/${pid} && echo proc=visible || echo proc=hidden; ps -o pid,comm`);
        assert.match(r.out, /^kill=[1-9]/m);
        assert.match(r.err, /No such process/);
        if (pid > 1000) assert.match(r.out, /^proc=hidden$/m);
        const ps = r.out.split("\n").filter((l) => /^\s*\d+ /.test(l));
        assert.ok(ps.length <= 6, `the guest lists only its own few processes: ${ps.join("; ")}`);
        assert.doesNotMatch(r.out, /\bsleep\b/);
        assert.ok(alive(pid) && sleeper!.exitCode === null);
      });

      it("a neighbour's processes: kill, ptrace, /proc/PID and process_vm_readv fail; ptrace of its own works (control)", async () => {
        await b.sh("sleep 600 >/dev/null 2>&1 &");
        const target = await until("the neighbour's sleep", () => pidsWithComm(b, "sleep")[0]);
        const init = b.initPid();
        const r = await a.sh(
          `kill -9 ${target} ${init}; echo kill=$?; /bin/attack-probe ptrace ${target}; /bin/attack-probe peek ${init}; ` +
            "sleep 30 & /bin/attack-probe ptrace $! | sed 's/^/own-/'; kill $!",
        );
        assert.match(r.out, /^kill=[1-9]/m, r.out);
        const got = results(r.out.split("\n").filter((l) => !l.startsWith("kill=")).join("\n"));
        assert.equal(got.get("ptrace-attach"), "ESRCH", r.out);
        assert.equal(got.get("ptrace-seize"), "ESRCH");
        assert.equal(got.get("process_vm_readv"), "ESRCH");
        for (const f of ["exe", "environ", "mem", "root", "cwd", "fd-list"]) assert.equal(got.get(f), "ENOENT", `${f}: ${r.out}`);
        assert.equal(got.get("own-ptrace-attach"), "ok", "the guest can trace its own processes: the probe works");
        assert.ok(alive(target) && alive(init), "the neighbour's processes live");
      });

      it("/proc and /sys: kcore, keys, sched_debug, timer_list, kallsyms, firmware read empty; core_pattern, sysrq-trigger, hostname not writable", async () => {
        const r = await a.sh(
          "for f in kcore keys sched_debug timer_list kallsyms; do echo $f=$(cat /proc/$f 2>/dev/null | wc -c); done; " +
            "echo firmware=$(ls -A /sys/firmware | wc -l); " +
            "for f in sys/kernel/core_pattern sysrq-trigger sys/kernel/hostname sys/vm/drop_caches; do echo x > /proc/$f 2>/dev/null && echo $f=written || echo $f=denied; done",
        );
        for (const f of ["kcore", "keys", "sched_debug", "timer_list", "kallsyms", "firmware"]) assert.match(r.out, new RegExp(`^${f}=0$`, "m"), r.out);
        for (const f of ["sys/kernel/core_pattern", "sysrq-trigger", "sys/kernel/hostname", "sys/vm/drop_caches"]) assert.match(r.out, new RegExp(`^${f}=denied$`, "m"), r.out);
        assert.equal(fs.readFileSync("/proc/sys/kernel/core_pattern", "utf8"), corePattern);
        // (This kernel has no /proc/kcore, and sched_debug lives in debugfs since 5.13.)
        for (const f of ["keys", "timer_list", "kallsyms"]) assert.ok(fs.readFileSync(`/proc/${f}`).length > 0, `the host's /proc/${f} is not empty: the mask hides something`);
      });

      it(`mknod of the host's disk, /dev/mem, /dev/kmsg, /dev/port: ${mode.mode === "userns" ? "refused in the server's user namespace" : "made (CAP_MKNOD), but not readable nor openable for writing"}`, async () => {
        const st = fs.statSync("/");
        const maj = Math.floor(st.dev / 256) & 0xfff;
        const min = (st.dev & 0xff) | ((st.dev >> 12) & 0xfff00);
        if (mode.mode === "userns") {
          // In a user namespace the kernel refuses device nodes (CAP_MKNOD over the host's
          // namespace is needed): none is made, so there is nothing to open.
          const nodes = [["disk", `b ${maj} ${min}`], ["mem", "c 1 1"], ["kmsg", "c 1 11"], ["port", "c 1 4"]];
          const r = await a.sh(
            nodes.map(([n, dev]) => `mknod /tmp/${n} ${dev} && echo ${n}=made || echo ${n}=refused; test -e /tmp/${n} && echo ${n}=exists; `).join("") +
              "rm -f /tmp/disk /tmp/mem /tmp/kmsg /tmp/port",
          );
          for (const n of ["disk", "mem", "kmsg", "port"]) assert.match(r.out, new RegExp(`^${n}=refused$`, "m"), `${n}: ${r.out}`);
          assert.doesNotMatch(r.out, /=made|=exists/, r.out);
          assert.equal(r.err.match(/Operation not permitted/g)?.length, 4, r.err);
          return;
        }
        const r = await a.sh(
          `mknod /tmp/disk b ${maj} ${min} && mknod /tmp/mem c 1 1 && mknod /tmp/kmsg c 1 11 && mknod /tmp/port c 1 4 && echo made; ` +
            // Opened read-write but never written: were the device cgroup missing, a write
            // here would hit the host's disk.
            "for n in disk mem kmsg port; do head -c 1 /tmp/$n >/dev/null 2>&1 && echo $n=read || echo $n=denied; " +
            "( : <>/tmp/$n ) 2>/dev/null && echo $n=opened-rw || echo $n=denied; done; rm -f /tmp/disk /tmp/mem /tmp/kmsg /tmp/port",
        );
        assert.match(r.out, /^made$/m, r.out + r.err);
        for (const n of ["disk", "mem", "kmsg", "port"]) assert.equal(r.out.match(new RegExp(`^${n}=denied$`, "gm"))?.length, 2, `${n}: ${r.out}`);
      });

      it("a kernel module cannot be loaded (insmod, modprobe)", async () => {
        const r = await a.sh("echo junk > /tmp/m.ko; insmod /tmp/m.ko; echo insmod=$?; modprobe -q nosuchmod-vst; echo modprobe=$?");
        assert.match(r.out, /^insmod=[1-9]/m);
        assert.match(r.out, /^modprobe=[1-9]/m);
        assert.match(r.err, /Operation not permitted/);
      });

      it("the host clock cannot be changed", async () => {
        const before = Date.now();
        const r = await a.sh("date -s 2001-01-01 2>&1 >/dev/null; date -u +%Y");
        assert.match(r.out, /can't set date: Operation not permitted/);
        assert.ok(Number(r.out.trim().split("\n").pop()) > 2001);
        assert.ok(Math.abs(Date.now() - before) < 3_600_000);
      });

      it("the hostname: sethostname, /proc/sys/kernel/hostname and a new UTS namespace fail; host and neighbour keep theirs", async () => {
        const r = await a.sh("hostname evil.vst.test; echo set=$?; unshare -u hostname evil; echo unshare=$?; hostname");
        assert.match(r.out, /^set=1$/m);
        assert.match(r.out, /^unshare=[1-9]/m);
        assert.equal(r.out.trim().split("\n").pop(), a.hostname);
        assert.equal(os.hostname(), hostName);
        assert.equal((await b.sh("hostname")).out.trim(), b.hostname);
      });

      it("cgroups: cgroupfs cannot be mounted (v1 with release_agent, v2), no namespace tricks, no cgroup.procs to write; the guest stays in its group", async () => {
        const releaseAgent = "/sys/fs/cgroup/memory/release_agent";
        const agentBefore = fs.existsSync(releaseAgent) ? fs.readFileSync(releaseAgent, "utf8") : null;
        const r = await a.sh("/bin/attack-probe cgroup; echo $$ > /sys/fs/cgroup/cgroup.procs; echo shell=$?; cat /proc/self/cgroup");
        const got = results(r.out.split("\n").filter((l) => / (ok|E[A-Z]+)$/.test(l)).join("\n"));
        for (const m of ["mount-cgroup-v1", "mount-cgroup-v1-release-agent", "mount-cgroup2", "unshare-cgroupns", "unshare-userns-mountns"])
          assert.equal(got.get(m), "EPERM", `${m}: ${r.out}`);
        for (const [what, res] of got) if (what.startsWith("write ")) assert.notEqual(res, "ok", `${what}: ${r.out}`);
        assert.match(r.out, /^shell=[1-9]/m);
        // In its cgroup namespace the group is "/": no host path of the parent shows.
        for (const line of r.out.split("\n").filter((l) => /^\d+:[^:]*:/.test(l))) assert.match(line, /:\/$/, line);
        assert.doesNotMatch(fs.readFileSync("/proc/self/mountinfo", "utf8"), /vstescape/);
        if (agentBefore !== null) assert.equal(fs.readFileSync(releaseAgent, "utf8"), agentBefore);
        assert.ok(cgroupPids(path.dirname(a.cgroupProcs()[0]!)).includes(a.initPid()), "the init is still in its group");
      });

      it("SysV IPC: a segment and a queue of one guest are not seen by the neighbour or the host", async () => {
        const c = await a.sh("/bin/probe ipc-create 0x5675 && /bin/probe ipc-check 0x5675");
        assert.match(c.out, /shm present msg present/, c.out + c.err);
        assert.match((await b.sh("/bin/probe ipc-check 0x5675")).out, /shm absent msg absent/);
        const ipcs = spawnSync("ipcs", ["-m", "-q"], { encoding: "utf8" }).stdout;
        assert.doesNotMatch(ipcs, /0x00005675/);
      });

      it("reboot ends only this guest (the v1 product restarts it); the neighbour and the host go on", async () => {
        const first = a.initPid();
        const neighbour = b.initPid();
        await a.sh("reboot");
        if (host.variant === "v1") {
          await until("a new init", () => {
            try {
              return a.initPid() !== first;
            } catch {
              return false; // between the old init's end and the new start
            }
          });
          assert.equal((await a.sh("hostname")).out.trim(), a.hostname);
        } else {
          assert.ok(await waitGone(first), "the guest's init ended");
        }
        assert.equal(b.initPid(), neighbour);
        assert.ok(alive(neighbour));
        assert.equal((await b.sh("echo alive")).out, "alive\n");
        assert.ok(alive(sleeper!.pid!));
      });
    });
  }
}
