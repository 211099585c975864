/**
 * Servers in their own user namespace (the default) through the CLI as it ships, on the
 * real kernel: the uid mapping seen from the host, isolation from inside, the idmapped
 * root (files stay owned by 0.. on disk), setuid programs, devices, the network in a
 * namespace the server's user namespace owns, the console's pty, a loop-image disk
 * limit, template and reinstall; and SECURITY.md rule 5's attack (a directory fd passed
 * over a socket in a directory two servers share) failing with user namespaces and
 * succeeding between two shared-uid servers, the mode an admin can still switch to.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import * as pty from "node-pty";
import { buildProbe } from "@/agent/src/testing/build-probe";
import { readUidMap } from "../../config/vserver/uidmap";
import { listProcesses } from "../procs/list-processes";
import { readRunState } from "../runtime/run-state";
import { cli, cliAsync, copyIntoGuest, guestSh, until, type Ran } from "../limits/testing/cli-host";
import { binPath, buildBundle, makeTempHost, type TempHost } from "../testing/temp-host";

let host: TempHost;

function ok(r: Ran, what: string): Ran {
  assert.equal(r.code, 0, `${what}: ${r.out}${r.err}`);
  return r;
}

function initPid(name: string): number {
  return readRunState(host.paths, name)!.initPid;
}

describe("servers with their own user namespace (CLI, real kernel)", () => {
  let probe = "";
  let shared = "";
  let sharedUids = "";

  before(() => {
    buildBundle();
    host = makeTempHost();
    probe = buildProbe(host.base);
    shared = path.join(host.base, "shared");
    sharedUids = path.join(host.base, "shared-uids");
    for (const d of [shared, sharedUids]) fs.mkdirSync(d, { mode: 0o1777 });
    fs.chmodSync(shared, 0o1777);
    fs.chmodSync(sharedUids, 0o1777);
    fs.writeFileSync(path.join(shared, "host-file"), "host root's\n", { mode: 0o644 });
    // a and b: the default; sa and sb: shared uids, sb switched to it after its build.
    ok(cli(host, "vserver", ["a", "build", "-m", "busybox", "--interface", "10.231.0.2/24"]), "build a");
    ok(cli(host, "vserver", ["b", "build", "-m", "busybox"]), "build b");
    ok(cli(host, "vserver", ["sa", "build", "-m", "busybox", "--shared-uids"]), "build sa");
    ok(cli(host, "vserver", ["sb", "build", "-m", "busybox"]), "build sb");
    ok(cli(host, "vattribute", ["sb", "--set", "--userns", "off"]), "switch sb");
    for (const [name, dir] of [["a", shared], ["b", shared], ["sa", sharedUids], ["sb", sharedUids]] as const) {
      fs.writeFileSync(path.join(host.paths.confDir, name, "fstab"), `${dir} /shared none bind 0 0\n`);
      copyIntoGuest(host, name, "/bin/probe", probe);
    }
    // A setuid-root copy of the probe (owner 0 on disk, like any root-owned file).
    copyIntoGuest(host, "a", "/bin/probe-suid", probe);
    fs.chmodSync(path.join(host.paths.rootDir, "a", "bin/probe-suid"), 0o4755);
    for (const name of ["a", "b", "sa", "sb"]) ok(cli(host, "vserver", [name, "start"]), `start ${name}`);
  });

  after(async () => {
    await host.cleanup();
  });

  it("maps guest ids to a host-unique range: guest root is an unprivileged host uid", async () => {
    const a = readUidMap(host.paths, "a")!;
    const b = readUidMap(host.paths, "b")!;
    assert.equal(a.count, 65536);
    assert.ok(a.start >= 1 << 20 && b.start >= 1 << 20);
    assert.ok(a.start + a.count <= b.start || b.start + b.count <= a.start, "ranges overlap");
    assert.equal(readUidMap(host.paths, "sa"), null);
    assert.equal(readUidMap(host.paths, "sb"), null);
    assert.match(fs.readFileSync(`/proc/${initPid("a")}/uid_map`, "utf8"), new RegExp(`^\\s*0\\s+${a.start}\\s+65536\\s*$`));
    assert.match(fs.readFileSync(`/proc/${initPid("a")}/gid_map`, "utf8"), new RegExp(`^\\s*0\\s+${a.start}\\s+65536\\s*$`));
    assert.match(fs.readFileSync(`/proc/${initPid("a")}/status`, "utf8"), new RegExp(`^Uid:\\s+${a.start}\\s+${a.start}\\s+${a.start}\\s+${a.start}$`, "m"));
    assert.match(fs.readFileSync(`/proc/${initPid("sa")}/status`, "utf8"), /^Uid:\s+0\s+0\s+0\s+0$/m);
    // vps: host uid and guest uid of the init.
    const rows = await listProcesses(host.paths, "a");
    const init = rows.find((r) => r.pid === initPid("a"))!;
    assert.deepEqual([init.uid, init.guestUid], [a.start, 0]);
    const shRow = (await listProcesses(host.paths, "sa")).find((r) => r.pid === initPid("sa"))!;
    assert.deepEqual([shRow.uid, shRow.guestUid], [0, 0]);
    assert.match(ok(cli(host, "vattribute", ["a"]), "vattribute").out, new RegExp(`^userns: on \\(uids ${a.start}\\.\\.${a.start + 65535}\\)$`, "m"));
    // What guest root writes into a host directory belongs to that unprivileged uid, and
    // a file of host root there is not guest root's to change.
    const r = guestSh(host, "a", "id -u; touch /shared/from-a; echo x >> /shared/host-file && echo wrote || echo refused");
    assert.equal(r.out, "0\nrefused\n", r.err);
    assert.equal(fs.statSync(path.join(shared, "from-a")).uid, a.start);
    assert.equal(fs.readFileSync(path.join(shared, "host-file"), "utf8"), "host root's\n");
  });

  it("isolates from inside: capabilities only in its own namespaces", () => {
    const r = guestSh(host, "a", [
      "cat /proc/self/uid_map | tr -s ' ' | sed 's/^ //'",
      "hostname other 2>/dev/null && echo hostname=changed || echo hostname=denied",
      "mknod /tmp/mem c 1 1 2>/dev/null && echo mknod=made || echo mknod=denied",
      "unshare -U true 2>/dev/null && echo userns=made || echo userns=denied",
      "echo junk > /tmp/m.ko; insmod /tmp/m.ko 2>/dev/null && echo module=loaded || echo module=denied",
      "echo 1 > /proc/sys/kernel/core_pattern 2>/dev/null && echo sysctl=written || echo sysctl=denied",
      "ls /proc | grep -cE '^[0-9]+$'",
    ].join("; "));
    const a = readUidMap(host.paths, "a")!;
    assert.equal(r.out, `0 ${a.start} 65536\nhostname=denied\nmknod=denied\nuserns=denied\nmodule=denied\nsysctl=denied\n${r.out.trim().split("\n").pop()}\n`);
    assert.ok(Number(r.out.trim().split("\n").pop()) <= 8, r.out);
  });

  it("keeps the root owned by 0.. on disk (idmapped mount), as the guest sees it", () => {
    const root = path.join(host.paths.rootDir, "a");
    ok(guestSh(host, "a", "mkdir -p /home/u && chown 1000:1000 /home/u && touch /root/mine && echo s > /root/secret && chmod 600 /root/secret"), "write");
    assert.equal(fs.statSync(path.join(root, "root/mine")).uid, 0);
    assert.deepEqual([fs.statSync(path.join(root, "home/u")).uid, fs.statSync(path.join(root, "home/u")).gid], [1000, 1000]);
    assert.equal(fs.statSync(path.join(root, "bin/busybox")).uid, 0);
    const r = guestSh(host, "a", "stat -c '%u:%g' / /bin/busybox /home/u; grep ' / ' /proc/mounts | grep -c idmapped");
    assert.equal(r.out, "0:0\n0:0\n1000:1000\n1\n", r.err);
  });

  it("runs setuid programs and su inside", () => {
    const r = guestSh(host, "a", "su nobody -s /bin/sh -c 'id -u; /bin/probe ids; /bin/probe-suid ids; touch /tmp/by-nobody'");
    assert.equal(r.out, "65534\nuid 65534 euid 65534 gid 65534 egid 65534\nuid 65534 euid 0 gid 65534 egid 65534\n", r.err);
    assert.equal(fs.statSync(path.join(host.paths.rootDir, "a", "tmp/by-nobody")).uid, 65534);
  });

  it("has working device nodes (the host's, bound), the same cgroup rules", () => {
    const r = guestSh(host, "a", [
      "head -c 16 /dev/urandom | wc -c; head -c 8 /dev/zero | wc -c; echo x > /dev/null && echo null=ok",
      "echo x > /dev/full 2>/dev/null || echo full=ENOSPC",
      "stat -c '%t:%T' /dev/null /dev/tty",
    ].join("; "));
    assert.equal(r.out, "16\n8\nnull=ok\nfull=ENOSPC\n1:3\n5:0\n", r.err);
  });

  it("reaches the host from its network namespace, configured by the agent from outside", () => {
    const r = guestSh(host, "a", "ip -4 -o addr show eth0 | grep -o '10.231.0.2/24'; ping -c 1 -W 2 169.254.0.1 >/dev/null && echo ping=ok");
    assert.equal(r.out, "10.231.0.2/24\nping=ok\n", r.err);
  });

  it("gives the console a pty of its own devpts, owned by guest root and group tty (gid=5 mapped)", async () => {
    const term = pty.spawn(binPath("vserver"), ["a", "enter"], { cols: 100, rows: 30, env: host.env as Record<string, string> });
    let out = "";
    term.onData((d) => (out += d));
    const exited = new Promise<number>((resolve) => term.onExit((e) => resolve(e.exitCode)));
    term.write("stat -c 'OWN=%u:%g' $(tty); echo MARK$((6*7))\r");
    await until("shell output", () => /MARK42/.test(out));
    term.write("exit 0\r");
    assert.equal(await exited, 0);
    assert.match(out, /OWN=0:5/);
  });

  it("fails SECURITY.md rule 5's attack with user namespaces, and not with shared uids", async () => {
    const attack = async (from: string, to: string, dir: string) => {
      fs.rmSync(path.join(dir, "sock"), { force: true });
      ok(guestSh(host, from, "echo s > /root/secret && chmod 600 /root/secret"), "secret");
      const sender = cliAsync(host, "vserver", [from, "exec", "/bin/probe", "scm-send", "/shared/sock", "/"]);
      await until("the socket", () => fs.existsSync(path.join(dir, "sock")));
      const r = guestSh(host, to, "/bin/probe scm-attack /shared/sock");
      ok(await sender, "scm-send");
      return r.out;
    };
    // b gets a directory fd of a's root: as b's root it can neither create nor read there.
    // The create is refused before any permission check: b's ids have no mapping in the
    // mount's idmap (a's range), so the kernel cannot give the new file an owner (EOVERFLOW).
    assert.equal(await attack("a", "b", shared), "got fd\ncreate=EOVERFLOW\nread=EACCES\n");
    assert.equal(fs.existsSync(path.join(host.paths.rootDir, "a", "pwned")), false);
    // With shared uids the same fd is root's in the other tree: the mode is less safe.
    assert.equal(await attack("sa", "sb", sharedUids), "got fd\ncreate=ok\nread=ok\n");
    assert.equal(fs.readFileSync(path.join(host.paths.rootDir, "sa", "pwned"), "utf8"), "pwned\n");
  });

  it("switches a server's mode at its next start, and back", () => {
    ok(cli(host, "vattribute", ["sb", "--set", "--userns", "on"]), "on");
    assert.match(fs.readFileSync(`/proc/${initPid("sb")}/uid_map`, "utf8"), /^\s*0\s+0\s+4294967295\s*$/, "the running server keeps its mode");
    ok(cli(host, "vserver", ["sb", "restart"]), "restart");
    const m = readUidMap(host.paths, "sb")!;
    assert.match(fs.readFileSync(`/proc/${initPid("sb")}/uid_map`, "utf8"), new RegExp(`^\\s*0\\s+${m.start}\\s+65536`));
    assert.equal(guestSh(host, "sb", "id -u; stat -c %u /bin/busybox").out, "0\n0\n");
  });

  it("builds from a template and reinstalls: roots stay owned by 0.., the new server gets its own range", () => {
    ok(cli(host, "vserver", ["a", "stop"]), "stop a");
    ok(cli(host, "vserver", ["a", "export", "--template", "vst-userns"]), "export");
    ok(cli(host, "vserver", ["t", "build", "-m", "template", "--disk", "64M", "--", "--source", "vst-userns"]), "build t");
    const t = readUidMap(host.paths, "t")!;
    assert.notEqual(t.start, readUidMap(host.paths, "a")!.start);
    assert.equal(t.shifted, false);
    const root = path.join(host.paths.rootDir, "t");
    assert.equal(fs.statSync(path.join(root, "home/u")).uid, 1000);
    assert.equal(fs.statSync(path.join(root, "bin/probe-suid")).mode & 0o7777, 0o4755);
    ok(cli(host, "vserver", ["t", "start"]), "start t");
    // A loop image (ext4) as the root: idmapped too; the disk limit holds.
    const r = guestSh(host, "t", "su nobody -s /bin/sh -c '/bin/probe-suid ids'; stat -c %u /home/u; dd if=/dev/zero of=/root/fill bs=1M count=100 2>&1 | grep -o 'No space left on device'");
    assert.equal(r.out, "uid 65534 euid 0 gid 65534 egid 65534\n1000\nNo space left on device\n", r.err);
    assert.equal(fs.statSync(path.join(root, "root/fill")).uid, 0);
    ok(cli(host, "vserver", ["t", "reinstall", "-m", "busybox"]), "reinstall t");
    assert.deepEqual(readUidMap(host.paths, "t"), t);
    assert.match(fs.readFileSync(`/proc/${initPid("t")}/uid_map`, "utf8"), new RegExp(`^\\s*0\\s+${t.start}\\s+65536`));
    assert.equal(guestSh(host, "t", "id -u; test -e /home/u || echo fresh").out, "0\nfresh\n");
  });
});
