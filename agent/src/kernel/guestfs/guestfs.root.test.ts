/**
 * guestfs cases that need root: device nodes and sockets planted at a path, ownership of
 * written files, mount points inside a tree being deleted, and a guest that keeps
 * swapping a directory for a symlink to the host while the tree is removed.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { constants as C, mknodat } from "@/native";
import { umountUnder } from "@/agent/src/testing/cleanup";
import { openGuestRoot } from "./open-guest-root";
import { readGuestFile } from "./read-guest-file";
import { removeGuestTree } from "./remove-guest-tree";
import { writeGuestFile } from "./write-guest-file";

describe("guestfs as root", () => {
  let base = "";
  let root = "";
  let host = "";
  let fd = -1;
  before(() => {
    base = mkdtempSync("/tmp/vst-guestfs-root-");
    root = `${base}/root`;
    host = `${base}/host`;
    mkdirSync(`${root}/etc`, { recursive: true });
    mkdirSync(host);
    writeFileSync(`${host}/secret`, "host\n");
    fd = openGuestRoot(root);
  });
  after(() => {
    if (fd >= 0) closeSync(fd);
    umountUnder(base);
    rmSync(base, { recursive: true, force: true });
  });

  it("replaces a planted device node or socket, never opening it; sets the owner", async () => {
    const etc = openGuestRoot(`${root}/etc`);
    try {
      mknodat(etc, "hostname", C.S_IFCHR | 0o666, 1, 5); // /dev/zero: reading would never end
      mknodat(etc, "disk", C.S_IFBLK | 0o600, 7, 0);
    } finally {
      closeSync(etc);
    }
    assert.throws(() => readGuestFile(fd, "/etc/hostname"), { code: "EINVAL" });
    assert.throws(() => readGuestFile(fd, "/etc/disk"), { code: "EINVAL" });
    writeGuestFile(fd, "/etc/hostname", "vs\n", { uid: 1234, gid: 5678, mode: 0o600 });
    const st = lstatSync(`${root}/etc/hostname`);
    assert.ok(st.isFile());
    assert.equal(st.uid, 1234);
    assert.equal(st.gid, 5678);
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(`${root}/etc/resolv.conf`, r));
    try {
      writeGuestFile(fd, "/etc/resolv.conf", "nameserver 192.0.2.1\n");
      assert.ok(lstatSync(`${root}/etc/resolv.conf`).isFile());
    } finally {
      srv.close();
    }
  });

  it("does not descend into mount points when deleting", () => {
    mkdirSync(`${root}/srv/mnt`, { recursive: true });
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "vst-guestfs", `${root}/srv/mnt`]);
    writeFileSync(`${root}/srv/mnt/keep`, "keep");
    writeFileSync(`${root}/srv/other`, "x");
    const r = removeGuestTree(fd, "/srv");
    assert.deepEqual(r.skippedMounts, ["mnt"]);
    assert.equal(readFileSync(`${root}/srv/mnt/keep`, "utf8"), "keep");
    assert.equal(existsSync(`${root}/srv/other`), false);
    umountUnder(`${root}/srv/mnt`);
    removeGuestTree(fd, "/srv");
    assert.equal(existsSync(`${root}/srv`), false);
  });

  it("survives a guest swapping a directory for a host symlink during the walk", async () => {
    for (let i = 0; i < 20; i++) {
      mkdirSync(`${root}/var/d${i}/sub`, { recursive: true });
      for (let j = 0; j < 20; j++) writeFileSync(`${root}/var/d${i}/sub/f${j}`, "x");
    }
    // The "guest": renames dirs away and puts symlinks to the host in their place.
    const script = `i=0; while [ $i -lt 400 ]; do for n in 0 1 2 3 4; do
      mv -T ${root}/var/d$n ${root}/var/x$n 2>/dev/null; ln -sfn ${host} ${root}/var/d$n 2>/dev/null;
      rm -f ${root}/var/d$n 2>/dev/null; mv -T ${root}/var/x$n ${root}/var/d$n 2>/dev/null; done; i=$((i+1)); done`;
    const swapper = spawn("sh", ["-c", script], { stdio: "ignore" });
    const done = new Promise<void>((r) => swapper.on("exit", () => r()));
    try {
      for (let k = 0; k < 5 && existsSync(`${root}/var`); k++) {
        try {
          removeGuestTree(fd, "/var");
        } catch (e) {
          // EAGAIN (the guest kept changing a name) is an allowed outcome; retry
          if ((e as { code?: string }).code !== "EAGAIN") throw e;
        }
      }
    } finally {
      swapper.kill("SIGKILL");
      await done;
    }
    assert.deepEqual(readdirSync(host), ["secret"]);
    assert.equal(readFileSync(`${host}/secret`, "utf8"), "host\n");
    assert.ok(statSync(host).isDirectory());
    removeGuestTree(fd, "/var");
    assert.equal(existsSync(`${root}/var`), false);
  });
});
