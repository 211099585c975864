/**
 * Roots on a filesystem without idmapped mounts (ramfs here; NFS and others alike): the
 * build shifts the root's ownership once to the server's range and records it; the
 * server then runs in its user namespace without an idmapped root, setuid programs keep
 * working, host-written files (at start and by vuname) belong to the range, an export goes
 * back to 0.., a copy moves to the copy's own range, and switching the namespace off
 * shifts back. Also the shift itself on a filesystem with xattrs: setuid bits, file
 * capabilities (v2 → v3 with the root id) and ACL entries survive it.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { constants as C, fdGetxattr, fdSetxattr, openat2 } from "@/native";
import { buildProbe } from "@/agent/src/testing/build-probe";
import { readUidMap } from "../../config/vserver/uidmap";
import { idmapSupported } from "../../kernel/launch/idmap-probe";
import { cli, copyIntoGuest, guestSh, type Ran } from "../limits/testing/cli-host";
import { buildBundle, makeTempHost, type TempHost } from "../testing/temp-host";
import { shiftOwnership } from "./shift-ownership";

let host: TempHost;

function ok(r: Ran, what: string): Ran {
  assert.equal(r.code, 0, `${what}: ${r.out}${r.err}`);
  return r;
}

function owner(file: string): string {
  const st = fs.lstatSync(file);
  return `${st.uid}:${st.gid}`;
}

describe("a root without idmapped mounts is shifted once (ramfs, real kernel)", () => {
  let probe = "";
  before(() => {
    buildBundle();
    host = makeTempHost();
    probe = buildProbe(host.base);
    fs.mkdirSync(host.paths.rootDir, { recursive: true });
    execFileSync("mount", ["-t", "ramfs", "-o", "mode=755", "vst-ramfs", host.paths.rootDir]);
  });

  after(async () => {
    for (const name of ["r", "d"]) cli(host, "vserver", [name, "stop"]);
    execFileSync("umount", ["-l", host.paths.rootDir]);
    await host.cleanup();
  });

  it("knows which filesystems take idmapped mounts", () => {
    assert.equal(idmapSupported(host.base), true);
    assert.equal(idmapSupported(host.paths.rootDir), false);
  });

  it("builds, shifted, and runs with setuid programs and host-written files of its range", () => {
    // A shared-uid server (nothing to shift) with a setuid file becomes the template.
    ok(cli(host, "vserver", ["s", "build", "-m", "busybox", "--shared-uids"]), "build s");
    copyIntoGuest(host, "s", "/bin/probe-suid", probe);
    fs.chmodSync(path.join(host.paths.rootDir, "s/bin/probe-suid"), 0o4755);
    ok(cli(host, "vserver", ["s", "export", "--template", "vst-suid"]), "export s");
    const built = ok(cli(host, "vserver", ["r", "build", "-m", "template", "--", "--source", "vst-suid"]), "build r");
    assert.match(built.err, /ids moved from base 0 to \d+ \(this filesystem has no idmapped mounts\): .*, 0 skipped/);
    const m = readUidMap(host.paths, "r")!;
    assert.equal(m.shifted, true);
    const root = path.join(host.paths.rootDir, "r");
    assert.equal(owner(path.join(root, "bin/busybox")), `${m.start}:${m.start}`);
    assert.equal(owner(path.join(root, "bin/sh")), `${m.start}:${m.start}`, "symlinks too");
    assert.equal(fs.statSync(path.join(root, "bin/probe-suid")).mode & 0o7777, 0o4755);
    ok(cli(host, "vserver", ["r", "start"]), "start r");
    const r = guestSh(host, "r", "stat -c %u:%g / /etc/hostname; grep -c idmapped /proc/mounts; su nobody -s /bin/sh -c '/bin/probe-suid ids'; touch /root/new");
    assert.equal(r.out, "0:0\n0:0\n0\nuid 65534 euid 0 gid 65534 egid 65534\n", r.err);
    assert.equal(owner(path.join(root, "root/new")), `${m.start}:${m.start}`);
    assert.equal(owner(path.join(root, "etc/hostname")), `${m.start}:${m.start}`, "written by the agent at start");
    ok(cli(host, "vuname", ["r", "--set", "--nodename", "renamed"]), "vuname r");
    assert.equal(fs.readFileSync(path.join(root, "etc/hostname"), "utf8"), "renamed\n");
    assert.equal(owner(path.join(root, "etc/hostname")), `${m.start}:${m.start}`, "rewritten by vuname");
  });

  it("exports 0-based, copies into the copy's own range, and shifts back when switched off", () => {
    ok(cli(host, "vserver", ["r", "stop"]), "stop r");
    const m = readUidMap(host.paths, "r")!;
    ok(cli(host, "vserver", ["r", "export", "--template", "vst-shifted"]), "export r");
    ok(cli(host, "vserver", ["c", "build", "-m", "template", "--shared-uids", "--", "--source", "vst-shifted"]), "build c");
    assert.equal(owner(path.join(host.paths.rootDir, "c/bin/probe-suid")), "0:0");
    assert.equal(fs.statSync(path.join(host.paths.rootDir, "c/bin/probe-suid")).mode & 0o7777, 0o4755);
    ok(cli(host, "vserver", ["d", "build", "-m", "template", "--", "--source", "r"]), "copy r");
    const d = readUidMap(host.paths, "d")!;
    assert.notEqual(d.start, m.start);
    assert.equal(owner(path.join(host.paths.rootDir, "d/root/new")), `${d.start}:${d.start}`);
    ok(cli(host, "vserver", ["d", "start"]), "start d");
    // Files the build wrote into the copy (hosts, shadow) belong to guest root as well.
    assert.equal(guestSh(host, "d", "stat -c %u /root/new /etc/hosts /etc/shadow").out, "0\n0\n0\n");
    assert.equal(cli(host, "vattribute", ["d", "--set", "--userns", "off"]).code !== 0, true, "refused while running");
    ok(cli(host, "vattribute", ["r", "--set", "--userns", "off"]), "switch r off");
    assert.equal(readUidMap(host.paths, "r"), null);
    assert.equal(owner(path.join(host.paths.rootDir, "r/root/new")), "0:0");
    assert.equal(fs.statSync(path.join(host.paths.rootDir, "r/bin/probe-suid")).mode & 0o7777, 0o4755);
  });

  it("keeps setuid bits, file capabilities and ACL entries across a shift (ext4)", async () => {
    const dir = path.join(host.base, "tree");
    fs.mkdirSync(path.join(dir, "sub"), { recursive: true });
    fs.writeFileSync(path.join(dir, "sub/ping"), "x", { mode: 0o4755 });
    fs.chownSync(path.join(dir, "sub/ping"), 0, 1000);
    fs.chmodSync(path.join(dir, "sub/ping"), 0o4755); // the chown cleared the setuid bit
    fs.symlinkSync("ping", path.join(dir, "sub/link"));
    const cap = Buffer.alloc(20);
    cap.writeUInt32LE(0x02000001, 0);
    cap.writeUInt32LE(1 << 13, 4);
    const acl = Buffer.alloc(4 + 8 * 5);
    acl.writeUInt32LE(2, 0);
    // user::rwx user:1000:r-- group::r-- mask::r-x other::r-x (the mode stays 0755).
    [[0x01, 7, 0xffffffff], [0x02, 4, 1000], [0x04, 4, 0xffffffff], [0x10, 5, 0xffffffff], [0x20, 5, 0xffffffff]].forEach(([tag, perm, id], i) => {
      acl.writeUInt16LE(tag!, 4 + i * 8);
      acl.writeUInt16LE(perm!, 6 + i * 8);
      acl.writeUInt32LE(id!, 8 + i * 8);
    });
    const fd = (p: string) => openat2(C.AT_FDCWD, path.join(dir, p), C.O_PATH | C.O_NOFOLLOW);
    const f = fd("sub/ping");
    fdSetxattr(f, "security.capability", cap);
    fdSetxattr(f, "system.posix_acl_access", acl);
    fs.closeSync(f);
    const root = fd(".");
    const base = 7 << 20;
    const counts = await shiftOwnership(root, { from: 0, to: base, count: 65536 });
    assert.equal(counts.shifted, 4);
    assert.equal(owner(path.join(dir, "sub/ping")), `${base}:${base + 1000}`);
    assert.equal(owner(path.join(dir, "sub/link")), `${base}:${base}`);
    assert.equal(fs.statSync(path.join(dir, "sub/ping")).mode & 0o7777, 0o4755);
    const g = fd("sub/ping");
    const v3 = fdGetxattr(g, "security.capability")!;
    assert.deepEqual([v3.length, v3.readUInt32LE(0), v3.readUInt32LE(20)], [24, 0x03000001, base]);
    assert.equal(fdGetxattr(g, "system.posix_acl_access")!.readUInt32LE(8 + 8), base + 1000);
    fs.closeSync(g);
    await shiftOwnership(root, { from: base, to: 0, count: 65536 });
    fs.closeSync(root);
    const h = fd("sub/ping");
    assert.deepEqual(fdGetxattr(h, "security.capability"), cap);
    assert.deepEqual(fdGetxattr(h, "system.posix_acl_access"), acl);
    fs.closeSync(h);
    assert.equal(owner(path.join(dir, "sub/ping")), "0:1000");
  });
});
