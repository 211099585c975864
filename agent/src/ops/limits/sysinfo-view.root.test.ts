/**
 * Issue 13, point 2, the part LXCFS cannot serve: sysinfo(2). Inside a real busybox server
 * of 1 core and 512M built and started with the CLI, busybox `free` and `uptime` (which ask
 * sysinfo(2), not /proc) run by the server's own init tree see the server's 512M and the
 * server's uptime, answered by the server's monitor through a seccomp user notification;
 * so do commands entered with `vserver exec` (not the init's descendants: vs-enter hands
 * their filter's listener to the same monitor), and a process such a command leaves
 * running after vs-enter has gone. The shared-uid mode (no user namespace) gets the same.
 */
import assert from "node:assert/strict";
import { closeSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { writeGuestFile } from "../../kernel/guestfs/write-guest-file";
import { V2, type Guest, type GuestHost } from "../../security/testing/guest-hosts";
import { serverModes } from "../../security/testing/server-modes";
import { BUSYBOX_INITTAB } from "../build/populate-root";
import { buildBundle, makeTempHost, type TempHost } from "../testing/temp-host";
import { cli, guestSh, until } from "./testing/cli-host";

let host: TempHost;
const NAME = "vstsysinfo";

/** A command the init runs once it is told to (/tmp/go): busybox free and uptime, later
 * than the init's start, from a shell the init started. */
const PROBE =
  "::once:/bin/sh -c 'while [ ! -e /tmp/go ]; do sleep 0.1; done; " +
  "free -m > /tmp/free.out; uptime > /tmp/uptime.out; touch /tmp/probed'";

function hostUptime(): number {
  return Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
}

/** busybox uptime's "up …" part in minutes: "up 3 min", "up 1:05", "up 2 days, 3:04". */
function uptimeMinutes(line: string): number {
  const m = /up\s+(?:(\d+) days?,\s*)?(?:(\d+):(\d+)|(\d+) min)/.exec(line);
  assert.ok(m, `uptime line: ${line}`);
  const days = Number(m[1] ?? 0);
  const hm = m[2] !== undefined ? Number(m[2]) * 60 + Number(m[3]) : Number(m[4]);
  return days * 1440 + hm;
}

describe("sysinfo(2) inside a server answers for the server (busybox free and uptime, real kernel)", () => {
  let startedAt = 0;
  before(() => {
    buildBundle();
    host = makeTempHost();
    const b = cli(host, "vserver", [NAME, "build", "-m", "busybox", "--no-boot", "--cpu", "1", "--memory", "512M"]);
    assert.equal(b.code, 0, b.err);
    const fd = openGuestRoot(`${host.paths.rootDir}/${NAME}`);
    try {
      writeGuestFile(fd, "/etc/inittab", `${BUSYBOX_INITTAB}${PROBE}\n`);
    } finally {
      closeSync(fd);
    }
    startedAt = hostUptime();
    const s = cli(host, "vserver", [NAME, "start"]);
    assert.equal(s.code, 0, s.err);
  });
  /** `free -m`'s total and `uptime`'s minutes of an entered command. */
  function entered(): { totalMb: number; upMin: number; line: string } {
    const free = guestSh(host, NAME, "free -m");
    assert.equal(free.code, 0, free.err);
    const mem = /^Mem:\s+(\d+)/m.exec(free.out);
    assert.ok(mem, free.out);
    const up = guestSh(host, NAME, "uptime");
    assert.equal(up.code, 0, up.err);
    return { totalMb: Number(mem[1]), upMin: uptimeMinutes(up.out), line: up.out.trim() };
  }

  after(async () => {
    await host?.cleanup();
  });

  it("a process of the init's tree, started later: free -m says 512 total, uptime the server's minutes", async (t) => {
    const go = guestSh(host, NAME, "touch /tmp/go");
    assert.equal(go.code, 0, go.err);
    await until("the init's probe to finish", () => guestSh(host, NAME, "cat /tmp/probed 2>/dev/null && echo ok").out.includes("ok"));
    const free = guestSh(host, NAME, "cat /tmp/free.out").out;
    const mem = /^Mem:\s+(\d+)/m.exec(free);
    assert.ok(mem, free);
    assert.equal(Number(mem[1]), 512, `free -m inside:\n${free}`);
    const hostTotalMb = Math.floor(Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync("/proc/meminfo", "utf8"))![1]) / 1024);
    assert.notEqual(hostTotalMb, 512, "the host's memory differs, so 512 is the server's");

    const up = guestSh(host, NAME, "cat /tmp/uptime.out").out;
    const serverMin = uptimeMinutes(up);
    const sinceStartMin = (hostUptime() - startedAt) / 60;
    assert.ok(serverMin <= Math.ceil(sinceStartMin) + 1, `server says ${up.trim()}; started ${sinceStartMin.toFixed(1)} min ago`);
    const hostMin = Math.floor(hostUptime() / 60);
    t.diagnostic(`inside: ${up.trim()}; host up ${hostMin} min`);
    if (hostMin <= Math.ceil(sinceStartMin) + 1) t.skip("the host itself is younger than a minute or two: its uptime cannot be told apart");
    else assert.ok(serverMin < hostMin, "below the host's uptime");
  });

  it("commands entered with vserver exec: free -m says 512 total, uptime the server's minutes", () => {
    const e = entered();
    assert.equal(e.totalMb, 512);
    const sinceStartMin = (hostUptime() - startedAt) / 60;
    assert.ok(e.upMin <= Math.ceil(sinceStartMin) + 1, `server says ${e.line}`);
  });

  it("a process an entered command leaves behind still gets the server's answer after vs-enter is gone", async () => {
    const bg = guestSh(host, NAME, "(while [ ! -e /tmp/go2 ]; do sleep 0.05; done; free -m > /tmp/free2.out; touch /tmp/probed2) >/dev/null 2>&1 &");
    assert.equal(bg.code, 0, bg.err);
    assert.equal(guestSh(host, NAME, "touch /tmp/go2").code, 0);
    await until("the left-behind probe", () => guestSh(host, NAME, "cat /tmp/probed2 2>/dev/null && echo ok").out.includes("ok"));
    const mem = /^Mem:\s+(\d+)/m.exec(guestSh(host, NAME, "cat /tmp/free2.out").out);
    assert.ok(mem);
    assert.equal(Number(mem[1]), 512);
  });

  it("the shared-uid mode (no user namespace) answers the same, and after a live memory change the new limit", () => {
    assert.equal(cli(host, "vserver", [NAME, "stop"]).code, 0);
    const a = cli(host, "vattribute", [NAME, "--set", "--userns", "off"]);
    assert.equal(a.code, 0, a.err);
    startedAt = hostUptime();
    const s = cli(host, "vserver", [NAME, "start"]);
    assert.equal(s.code, 0, s.err);
    assert.equal(entered().totalMb, 512);
    const r = cli(host, "vlimit", [NAME, "--memory", "256M"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(entered().totalMb, 256);
  });
});

describe("sysinfo(2) on cgroup v2 (unified mount, launch layer, own user namespace)", () => {
  let gh: GuestHost | undefined;
  let guest: Guest | undefined;
  let skip: string | false = false;
  let startedAt = 0;
  before(async () => {
    skip = await V2.skip();
    if (skip) return;
    gh = await V2.open(serverModes().find((m) => m.mode === "userns")!);
    startedAt = hostUptime();
    guest = await gh.server("sysv2");
  });
  after(async () => {
    await gh?.cleanup();
  });

  it("busybox uptime says the server's minutes; free answers (the host's memory: no memory controller there)", async (t) => {
    if (skip || !guest) {
      t.skip(`cgroup v2 not usable here: ${skip}`);
      return;
    }
    const up = await guest.sh("uptime");
    assert.equal(up.code, 0, up.err);
    const serverMin = uptimeMinutes(up.out);
    const sinceStartMin = (hostUptime() - startedAt) / 60;
    assert.ok(serverMin <= Math.ceil(sinceStartMin) + 1, `server says ${up.out.trim()}`);
    const hostMin = Math.floor(hostUptime() / 60);
    if (hostMin <= Math.ceil(sinceStartMin) + 1) t.skip("the host is too young to tell its uptime apart");
    else assert.ok(serverMin < hostMin, `${up.out.trim()} is below the host's ${hostMin} min`);
    const free = await guest.sh("free -m");
    assert.equal(free.code, 0, free.err);
    assert.match(free.out, /^Mem:\s+\d+/m);
  });
});
