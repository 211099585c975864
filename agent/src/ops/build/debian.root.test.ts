/**
 * Debian end to end on the real kernel, with ONE real `debootstrap --variant=minbase
 * bookworm` from Debian's mirror (about 80 s; the .debs are cached between runs in
 * VSERVER_DEBOOTSTRAP_CACHE, default /var/cache/vserver-panel/debootstrap) whose result
 * every later step reuses. VSERVER_ROOTDIR is a loop-mounted XFS with reflink=1 and the
 * servers have no per-server images, so vunify can share across them.
 *
 * Shown: the debootstrap build through the API (an operation with debootstrap's lines and
 * progress) starts and answers `cat /etc/debian_version`; a user changes its password with
 * the setuid passwd inside the server's user namespace; vapt-get installs a package
 * from a local repository bind-mounted read-only into the guest; updatePackages upgrades
 * it with live log lines; a template exported from the server builds a second server in
 * seconds; five servers from extracted (not reflinked) copies use at most 1.15× the space
 * of one after `vunify --all`, and a file changed in one afterwards is unchanged in the
 * others. A backup of the running server restored whole (a removed program and a
 * changed config come back) and as a new server with its own uid range (ids inside the
 * same, its own range on the host).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import { closeSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { openGuestRoot } from "@/agent/src/kernel/guestfs/open-guest-root";
import { writeGuestFile } from "@/agent/src/kernel/guestfs/write-guest-file";
import { binPath, buildBundle } from "@/agent/src/ops/testing/temp-host";
import { addHelloDeb } from "../packages/testing/local-deb-repo";
import { startTestAgent, settled, type TestAgent } from "../templates/testing/test-agent";
import { makeReflinkHost, usedBytes, type ReflinkHost } from "../unify/testing/reflink-host";
import { SHELL_INIT } from "./finish-root";

const CACHE = process.env.VSERVER_DEBOOTSTRAP_CACHE ?? "/var/cache/vserver-panel/debootstrap";
let host: ReflinkHost;
let agent: TestAgent | undefined;
let repo = "";

function run(tool: string, args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(binPath(tool), args, { env: host.env, encoding: "utf8", timeout: 600_000, maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function ok(tool: string, args: string[]): string {
  const r = run(tool, args);
  assert.equal(r.code, 0, `${tool} ${args.join(" ")}: ${r.err}`);
  return r.out;
}

const sha = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const mib = (n: number) => `${(n / (1 << 20)).toFixed(1)} MiB`;

describe("Debian: debootstrap, vapt-get, update, template, vunify (real kernel, XFS with reflink)", () => {
  before(async () => {
    buildBundle();
    host = makeReflinkHost("4G");
    host.env.VSERVER_DEBOOTSTRAP_CACHE = CACHE;
    repo = path.join(host.base, "debrepo");
    addHelloDeb(repo, "1.0");
    agent = await startTestAgent(host);
  });
  after(async () => {
    await agent?.stop();
    await host?.cleanup();
  });

  it("debootstrap --variant=minbase bookworm: an operation with debootstrap's lines; the server starts and answers", async () => {
    const { client } = agent!;
    const { operationId } = await client.createVserver({
      name: "deb1", hostname: "deb1.example.test", method: "debootstrap", methodArgs: ["-d", "bookworm", "--variant", "minbase"],
      nameservers: ["192.0.2.53"], startOnBoot: false,
    });
    const op = await settled(client, operationId);
    assert.equal(op.state, "succeeded", JSON.stringify(op.error));
    assert.ok(op.lines.some((l) => /^I: Base system installed successfully/.test(l.text)), "debootstrap's own lines");
    assert.ok(op.lines.some((l) => /package cache/.test(l.text)));
    assert.equal(op.progress, 100);
    const info = await client.getVserver({ name: "deb1" });
    assert.equal(info.buildMethod, "debootstrap");
    assert.equal(info.distribution, "bookworm");
    assert.deepEqual(fs.readFileSync(path.join(host.paths.confDir, "deb1/init/argv"), "utf8").trim().split("\n"), SHELL_INIT);
    const root = path.join(host.paths.rootDir, "deb1");
    assert.deepEqual(fs.readdirSync(path.join(root, "var/cache/apt/archives")).filter((f) => f.endsWith(".deb")), []);
    // The local repository, read-only in the guest, and apt pointed at it only (the guest has no network).
    fs.writeFileSync(path.join(host.paths.confDir, "deb1/fstab"), `${repo} /srv/vst-repo none bind,ro 0 0\n`);
    const fd = openGuestRoot(root);
    try {
      writeGuestFile(fd, "/etc/apt/sources.list", "deb [trusted=yes] file:/srv/vst-repo ./\n");
    } finally {
      closeSync(fd);
    }
    await client.startVserver({ name: "deb1" });
    assert.match(ok("vserver", ["deb1", "exec", "cat", "/etc/debian_version"]), /^12\.\d+\n$/);
    assert.equal(ok("vserver", ["deb1", "exec", "hostname"]), "deb1.example.test\n");
    assert.match(ok("vserver", ["deb1", "exec", "cat", "/etc/resolv.conf"]), /nameserver 192\.0\.2\.53/);
  });

  it("vapt-get runs the guest's apt-get: update and install from the local repository", () => {
    const update = run("vapt-get", ["deb1", "--", "update"]);
    assert.equal(update.code, 0, update.err);
    assert.match(update.out, /file:\/srv\/vst-repo \.\/ Packages/);
    const install = run("vapt-get", ["deb1", "--", "install", "-y", "vst-hello"]);
    assert.equal(install.code, 0, install.err);
    assert.match(install.out, /Setting up vst-hello \(1\.0\)/);
    assert.equal(ok("vserver", ["deb1", "exec", "vst-hello"]), "hello from deb 1.0\n");
    const missing = run("vapt-get", ["deb1", "--", "install", "-y", "no-such-package"]);
    assert.equal(missing.code, 100, "apt-get's own exit status");
    assert.equal(run("vapt-get", ["nosuch", "--", "update"]).code, 5);
  });

  it("a user changes its own password with the server's setuid passwd, in the server's user namespace", () => {
    // Root in the server is an unprivileged uid range on the host: setuid-root programs
    // must still work inside (issue 9), with the real shadow-utils and PAM of Debian.
    const uidMap = ok("vserver", ["deb1", "exec", "cat", "/proc/self/uid_map"]).trim().split(/\s+/).map(Number);
    assert.equal(uidMap[0], 0);
    assert.ok(uidMap[1]! >= 1 << 20, `guest root is host uid ${uidMap[1]}, not host root`);
    ok("vserver", ["deb1", "exec", "useradd", "-m", "-s", "/bin/sh", "alice"]);
    ok("vserver", ["deb1", "exec", "sh", "-c", "echo alice:Tango-Alpha-17 | chpasswd"]);
    const hashOf = () => ok("vserver", ["deb1", "exec", "getent", "shadow", "alice"]).split(":")[1]!;
    const before = hashOf();
    assert.match(ok("vserver", ["deb1", "exec", "stat", "-c", "%u %a", "/usr/bin/passwd"]), /^0 4755\n$/);
    // As alice (uid 1000 inside): passwd asks for the current password, then the new one twice.
    const changed = run("vserver", ["deb1", "exec", "su", "alice", "-c", "printf 'Tango-Alpha-17\\nQuiz9Bird!Mono\\nQuiz9Bird!Mono\\n' | passwd"]);
    assert.equal(changed.code, 0, changed.out + changed.err);
    assert.match(changed.out + changed.err, /password updated successfully/);
    assert.notEqual(hashOf(), before);
    // A wrong current password is refused by the same setuid program.
    const refused = run("vserver", ["deb1", "exec", "su", "alice", "-c", "printf 'wrong\\nXy7-Other-Pass\\nXy7-Other-Pass\\n' | passwd"]);
    assert.notEqual(refused.code, 0);
    ok("vserver", ["deb1", "exec", "userdel", "-r", "alice"]);
  });

  it("updatePackages upgrades with the guest's manager, its output as live log lines", async () => {
    const { client } = agent!;
    addHelloDeb(repo, "1.1");
    const { operationId } = await client.updatePackages({ name: "deb1" });
    const op = await settled(client, operationId);
    assert.equal(op.state, "succeeded", JSON.stringify(op.error));
    assert.ok(op.lines.some((l) => l.text === "$ apt-get update"));
    assert.ok(op.lines.some((l) => /Unpacking vst-hello \(1\.1\) over \(1\.0\)/.test(l.text)), op.lines.map((l) => l.text).join("\n"));
    assert.equal(ok("vserver", ["deb1", "exec", "vst-hello"]), "hello from deb 1.1\n");
  });

  it("a running Debian server is backed up, restored whole, and restored as a new server with its own uid range", async () => {
    const { client } = agent!;
    const owner = "deb-owner";
    const hostUid = (server: string, file: string) => fs.lstatSync(path.join(host.paths.rootDir, server, file)).uid;
    ok("vserver", ["deb1", "exec", "sh", "-c", "useradd -m -u 1000 bob && echo kept > /home/bob/note && chown bob: /home/bob/note"]);
    const made = await settled(client, (await client.createBackup({ name: "deb1", owner, target: "local" })).operationId);
    assert.equal(made.state, "succeeded", JSON.stringify(made.error));
    const { snapshots } = await client.listBackups({ target: "local", name: "deb1", owner });
    assert.equal(snapshots.length, 1);
    const snapshot = snapshots[0]!.id;
    assert.equal(snapshots[0]!.consistency, "reflink", "taken from a frozen reflink copy while it ran");
    // Broken as a customer breaks a server: a program gone, a config overwritten.
    ok("vserver", ["deb1", "exec", "sh", "-c", "rm -f /usr/bin/vst-hello && echo broken > /etc/motd"]);
    const back = await settled(client, (await client.restoreBackup({ target: "local", name: "deb1", owner, snapshot })).operationId);
    assert.equal(back.state, "succeeded", JSON.stringify(back.error));
    assert.equal((await client.getVserver({ name: "deb1" })).state, "running");
    assert.equal(ok("vserver", ["deb1", "exec", "vst-hello"]), "hello from deb 1.1\n");
    assert.doesNotMatch(ok("vserver", ["deb1", "exec", "cat", "/etc/motd"]), /broken/);
    assert.equal(ok("vserver", ["deb1", "exec", "stat", "-c", "%U %u", "/home/bob/note"]), "bob 1000\n");
    // As a new server with a uid range of its own: the same ids inside, the new range's on the host.
    const asNew = await settled(
      client,
      (await client.restoreBackupAsNew({ target: "local", name: "deb1", owner, snapshot, create: { name: "deb3", hostname: "deb3", domainname: "", limits: {}, interfaces: [], nameservers: [], startOnBoot: false, start: true, userNamespace: true } })).operationId,
    );
    assert.equal(asNew.state, "succeeded", JSON.stringify(asNew.error));
    try {
      assert.equal(ok("vserver", ["deb3", "exec", "stat", "-c", "%U %u", "/home/bob/note"]), "bob 1000\n");
      assert.equal(ok("vserver", ["deb3", "exec", "stat", "-c", "%u %a", "/usr/bin/passwd"]), "0 4755\n");
      assert.equal(ok("vserver", ["deb3", "exec", "cat", "/home/bob/note"]), "kept\n");
      // Files keep the guest's ids on disk (the range is applied when the root is mounted): the new server runs in a range of its own.
      const rangeOf = (server: string) => ok("vserver", [server, "exec", "cat", "/proc/self/uid_map"]).trim().split(/\s+/).map(Number)[1]!;
      assert.notEqual(rangeOf("deb3"), rangeOf("deb1"), "its own range, not the original's");
      assert.equal(hostUid("deb3", "home/bob/note"), hostUid("deb1", "home/bob/note"));
    } finally {
      run("vserver", ["deb3", "stop"]);
      run("vserver", ["deb3", "delete"]);
      await client.pruneBackups({ target: "local", name: "deb1", owner, retention: { keepLast: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0 } });
      ok("vserver", ["deb1", "exec", "userdel", "-r", "bob"]);
    }
  });

  it("a template exported from the server builds a second server in seconds", async () => {
    const { client } = agent!;
    await client.stopVserver({ name: "deb1" });
    const { operationId } = await client.exportTemplate({ name: "deb1", template: "bookworm-min", description: "Debian 12 minbase" });
    const op = await settled(client, operationId);
    assert.equal(op.state, "succeeded", JSON.stringify(op.error));
    const { templates } = await client.listTemplates({});
    const t = templates.find((x) => x.name === "bookworm-min");
    assert.ok(t, JSON.stringify(templates));
    assert.equal(t.distribution, "bookworm");
    assert.equal(t.sourceVserver, "deb1");
    assert.ok(t.contentBytes > 100 << 20 && t.bytes < t.contentBytes);
    const started = Date.now();
    ok("vserver", ["deb2", "build", "-m", "template", "--no-boot", "--", "--source", "bookworm-min"]);
    console.log(`# deb2 from the template in ${Date.now() - started} ms (${mib(t.contentBytes)} of files)`);
    ok("vserver", ["deb2", "start"]);
    assert.match(ok("vserver", ["deb2", "exec", "cat", "/etc/debian_version"]), /^12\.\d+\n$/);
    assert.equal(ok("vserver", ["deb2", "exec", "vst-hello"]), "hello from deb 1.1\n");
    assert.equal(ok("vserver", ["deb2", "exec", "hostname"]), "deb2\n");
    ok("vserver", ["deb2", "stop"]);
  });

  it("five extracted copies use at most 1.15x the space of one after vunify --all; changes stay private", async () => {
    // Only the five copies on the filesystem: the servers above have done their part.
    for (const n of ["deb1", "deb2"]) run("vserver", [n, "stop"]);
    ok("vserver", ["deb1", "delete"]);
    ok("vserver", ["deb2", "delete"]);
    const base = usedBytes(host.mountPoint);
    ok("vserver", ["u1", "build", "-m", "template", "--no-boot", "--", "--source", "bookworm-min"]);
    const one = usedBytes(host.mountPoint) - base;
    for (const n of ["u2", "u3", "u4", "u5"]) ok("vserver", [n, "build", "-m", "template", "--no-boot", "--", "--source", "bookworm-min"]);
    const five = usedBytes(host.mountPoint) - base;
    assert.ok(five > 4.5 * one, `five copies before: ${mib(five)}, one: ${mib(one)}`);
    const out = ok("vunify", ["--all"]);
    const after = usedBytes(host.mountPoint) - base;
    console.log(`# one server ${mib(one)}, five before ${mib(five)}, after vunify ${mib(after)} = ${(after / one).toFixed(3)}x one`);
    assert.ok(after <= 1.15 * one, `after vunify: ${mib(after)} for five, one is ${mib(one)} (${(after / one).toFixed(3)}x)\n${out}`);
    assert.match(out, /xfs \(u1, u2, u3, u4, u5\): \d+ groups of identical files/);
    const { report } = await agent!.client.getUnifyReport({});
    assert.ok(report && report.savedBytes > 3 * one, JSON.stringify(report?.filesystems));
    assert.deepEqual(report.servers, ["u1", "u2", "u3", "u4", "u5"]);
    assert.equal(report.filesystems[0]!.fsType, "xfs");
    // Copy-on-write: a shared file changed in u1 is unchanged in the others.
    const file = "usr/bin/vst-hello";
    const before = sha(path.join(host.paths.rootDir, "u2", file));
    ok("vserver", ["u1", "start"]);
    ok("vserver", ["u1", "exec", "/bin/sh", "-c", `echo changed >> /${file}; echo changed >> /usr/bin/perl`]);
    ok("vserver", ["u1", "stop"]);
    assert.notEqual(sha(path.join(host.paths.rootDir, "u1", file)), before);
    for (const n of ["u2", "u3", "u4", "u5"]) {
      assert.equal(sha(path.join(host.paths.rootDir, n, file)), before, n);
      assert.doesNotMatch(fs.readFileSync(path.join(host.paths.rootDir, n, "usr/bin/perl")).subarray(-8).toString(), /changed/, n);
    }
    // The API runs vunify as an operation too (a dry run only counts what is identical).
    const { operationId } = await agent!.client.unifyVservers({ dryRun: true });
    const op = await settled(agent!.client, operationId);
    assert.equal(op.state, "succeeded", JSON.stringify(op.error));
  });
});
