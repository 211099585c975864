/**
 * Templates on the real kernel: a hostile tree (symlinks out of the root, FIFOs, device
 * nodes, sockets, set-id modes, foreign owners, hard links, odd names, xattrs) goes
 * through export and extraction and through a server copy unchanged, nothing outside is
 * read or written and no FIFO or device is opened; GNU tar reads our archives; crafted
 * archives that climb out through a symlink they made are refused; on XFS with reflink
 * a copy shares its data. Through the CLI: export of a stopped server only, a template
 * in the store builds a server that starts, a server copy builds one (each with SSH
 * host keys of its own, not the source's), and a build interrupted by SIGINT leaves
 * nothing.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { closeSync } from "node:fs";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { constants as C, mknodat } from "@/native";
import { openGuestRoot } from "@/agent/src/kernel/guestfs/open-guest-root";
import { binPath, buildBundle } from "@/agent/src/ops/testing/temp-host";
import { makeReflinkHost, usedBytes, type ReflinkHost } from "../unify/testing/reflink-host";
import { batched, openArchiveReader, openArchiveWriter } from "./archive-io";
import { copyTree } from "./copy-tree";
import { extractTar } from "./extract-tar";
import { encodeHeader, TAR_END, type TarHeader } from "./tar-format";
import { writeTreeTar } from "./write-tree-tar";
import { readTreeXattrs } from "./xattrs";

let host: ReflinkHost;
let work = "";
let sock: Server | undefined;

function listing(dir: string): string[] {
  // name (with link target), type, mode, owner, size, nlink, device numbers and mtime of
  // everything, not following links; symlink and directory times are not compared.
  const out = execFileSync("find", [".", "-exec", "stat", "-c", "%N|%F|%a|%u:%g|%s|%h|%t:%T|%Y", "{}", "+"], { cwd: dir, encoding: "latin1" });
  return out
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const f = l.split("|");
      if (f[1] === "symbolic link" || f[1] === "directory") f[7] = "";
      return f.join("|");
    })
    .sort();
}

function run(tool: string, args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(binPath(tool), args, { env: host.env, encoding: "utf8", timeout: 300_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function header(p: string, type: TarHeader["type"], extra: Partial<TarHeader> = {}): Buffer {
  return encodeHeader({ path: Buffer.from(p), type, mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 0, linkname: Buffer.alloc(0), devmajor: 0, devminor: 0, xattrs: new Map(), ...extra });
}

describe("templates (real kernel, XFS with reflink)", () => {
  let src = "";
  let secret = "";
  before(async () => {
    buildBundle();
    host = makeReflinkHost("3G");
    work = fs.mkdtempSync("/tmp/vst-tpl-");
    secret = path.join(work, "host-secret");
    fs.writeFileSync(secret, "host\n");
    // The hostile tree a guest could leave behind.
    src = path.join(work, "src");
    fs.mkdirSync(path.join(src, "etc/deep/er"), { recursive: true });
    fs.mkdirSync(path.join(src, "dev"));
    fs.writeFileSync(path.join(src, "etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    fs.writeFileSync(path.join(src, "etc/deep/er/big"), Buffer.alloc(3 << 20, 0x5a));
    fs.writeFileSync(path.join(src, "su"), "#!/bin/sh\n");
    fs.chmodSync(path.join(src, "su"), 0o4755);
    fs.chownSync(path.join(src, "etc/passwd"), 1234, 5678);
    fs.linkSync(path.join(src, "etc/passwd"), path.join(src, "etc/passwd-hard"));
    fs.symlinkSync(secret, path.join(src, "etc/abs-out"));
    fs.symlinkSync("../../../../../../../../../" + secret, path.join(src, "etc/rel-out"));
    fs.symlinkSync(work, path.join(src, "lib"));
    execFileSync("mkfifo", [path.join(src, "dev/fifo")]);
    const dev = openGuestRoot(path.join(src, "dev"));
    try {
      mknodat(dev, "zero", C.S_IFCHR | 0o666, 1, 5);
      mknodat(dev, "loop0", C.S_IFBLK | 0o660, 7, 0);
    } finally {
      closeSync(dev);
    }
    sock = createServer();
    await new Promise<void>((r) => sock!.listen(path.join(src, "dev/sock"), r));
    fs.writeFileSync(Buffer.from(path.join(src, "etc/caf\xe9\xff"), "latin1"), "odd");
    execFileSync("setfattr", ["-n", "user.vst", "-v", "kept", path.join(src, "su")]);
  });
  after(async () => {
    sock?.close();
    await host?.cleanup();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("export and extraction keep every entry as it was; nothing outside is touched; GNU tar agrees", async () => {
    const file = path.join(work, "t.tar.zst");
    const fd = openGuestRoot(src);
    const skipped: string[] = [];
    try {
      const w = openArchiveWriter(file);
      const out = batched((b) => w.write(b));
      // A FIFO opened for reading would block this forever; a device would be read.
      await writeTreeTar(fd, out.write, { xattrs: await readTreeXattrs(fd), onSkip: (r, why) => skipped.push(`${r}: ${why}`) });
      await out.flush();
      await w.close();
    } finally {
      closeSync(fd);
    }
    assert.deepEqual(skipped, ["dev/sock: a socket cannot be archived"]);
    const dst = path.join(work, "dst");
    fs.mkdirSync(dst);
    const dfd = openGuestRoot(dst);
    try {
      const r = openArchiveReader(file);
      const counts = await extractTar(r.chunks, dfd);
      await r.done();
      assert.equal(counts.hardlinks, 1);
      assert.equal(counts.nodes, 3);
      assert.equal(counts.xattrs, 1);
    } finally {
      closeSync(dfd);
    }
    assert.deepEqual(listing(dst), listing(src).filter((l) => !l.startsWith("'./dev/sock'")));
    assert.equal(execFileSync("getfattr", ["--absolute-names", "--only-values", "-n", "user.vst", path.join(dst, "su")], { encoding: "utf8" }), "kept");
    assert.equal(fs.readlinkSync(path.join(dst, "etc/abs-out")), secret);
    assert.equal(fs.readFileSync(secret, "utf8"), "host\n");
    const gnu = path.join(work, "gnu");
    fs.mkdirSync(gnu);
    execFileSync("tar", ["--zstd", "-xpf", file, "-C", gnu, "--numeric-owner", "--xattrs", "--xattrs-include=*"]);
    assert.deepEqual(listing(gnu), listing(dst));
  });

  it("refuses archives that climb out, also through a symlink the archive itself made", async () => {
    const outside = path.join(work, "outside");
    fs.mkdirSync(outside);
    const cases: [string, Buffer][] = [
      ["symlink then a file through it", Buffer.concat([header("etc", "symlink", { linkname: Buffer.from(outside) }), header("etc/passwd", "file"), TAR_END])],
      ["relative symlink then a file through it", Buffer.concat([header("a", "symlink", { linkname: Buffer.from("../../../../../../" + outside) }), header("a/x", "file"), TAR_END])],
      ["a member with ..", Buffer.concat([header("x/../../y", "file"), TAR_END])],
      ["a hard link to a host file", Buffer.concat([header("h", "hardlink", { linkname: Buffer.from(secret) }), TAR_END])],
    ];
    for (const [what, bytes] of cases) {
      const dst = fs.mkdtempSync(path.join(work, "bad-"));
      const fd = openGuestRoot(dst);
      try {
        await assert.rejects(extractTar((async function* () { yield bytes; })(), fd), (e: { code?: string }) => e.code === "BAD_REQUEST", what);
      } finally {
        closeSync(fd);
      }
      assert.deepEqual(fs.readdirSync(outside), [], what);
      assert.equal(fs.statSync(secret).nlink, 1, what);
    }
  });

  it("a copy on XFS shares the data of its files (FICLONE); with reflinks off it does not", async () => {
    const a = path.join(host.mountPoint, "copy-src");
    fs.mkdirSync(a);
    fs.writeFileSync(path.join(a, "data"), Buffer.alloc(64 << 20, 1));
    execFileSync("cp", ["-a", path.join(src, "etc"), path.join(a, "etc")]);
    const copies: Record<string, number> = {};
    for (const mode of ["auto", "never"] as const) {
      const b = path.join(host.mountPoint, `copy-${mode}`);
      fs.mkdirSync(b);
      const before = usedBytes(host.mountPoint);
      const sfd = openGuestRoot(a);
      const dfd = openGuestRoot(b);
      try {
        const c = await copyTree(sfd, dfd, { reflink: mode });
        assert.equal(c.reflinkedFiles > 0, mode === "auto");
      } finally {
        closeSync(sfd);
        closeSync(dfd);
      }
      copies[mode] = usedBytes(host.mountPoint) - before;
      assert.ok(fs.readFileSync(path.join(b, "data")).equals(fs.readFileSync(path.join(a, "data"))));
    }
    assert.ok(copies.auto! < 8 << 20, `a reflinked copy uses ${copies.auto} bytes`);
    assert.ok(copies.never! >= 64 << 20, `a byte copy uses ${copies.never} bytes`);
  });

  it("CLI: export of a stopped server only; a template and a server copy build servers that start", () => {
    assert.equal(run("vserver", ["t1", "build", "-m", "busybox", "--no-boot"]).code, 0);
    assert.equal(run("vserver", ["t1", "start"]).code, 0);
    const busy = run("vserver", ["t1", "export", "--template", "bb"]);
    assert.equal(busy.code, 4, busy.err);
    assert.match(busy.err, /running; stop it first/);
    assert.equal(run("vserver", ["t1", "stop"]).code, 0);
    // The source's SSH host identity, which no copy may keep.
    const sshDir = path.join(host.paths.rootDir, "t1/etc/ssh");
    fs.mkdirSync(sshDir, { recursive: true });
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "root@t1", "-f", path.join(sshDir, "ssh_host_ed25519_key")]);
    const sourceKey = fs.readFileSync(path.join(sshDir, "ssh_host_ed25519_key.pub"), "utf8").split(" ")[1];
    // An old type and a link (which could name another tree's key) go too.
    fs.writeFileSync(path.join(sshDir, "ssh_host_dsa_key"), "old dsa key\n", { mode: 0o600 });
    fs.symlinkSync("/etc/passwd", path.join(sshDir, "ssh_host_ecdsa_key"));
    const ex = run("vserver", ["t1", "export", "--template", "bb", "--description", "busybox base"]);
    assert.equal(ex.code, 0, ex.err);
    const meta = JSON.parse(fs.readFileSync(path.join(host.paths.rootDir, ".templates/bb.json"), "utf8")) as { sourceVserver: string; description: string };
    assert.equal(meta.sourceVserver, "t1");
    assert.equal(meta.description, "busybox base");
    assert.equal(run("vserver", ["t1", "export", "--template", "bb"]).code, 6, "a taken template name is a conflict");
    const fromTemplate = run("vserver", ["t2", "build", "-m", "template", "--no-boot", "--hostname", "t2.example.test", "--", "--source", "bb"]);
    assert.equal(fromTemplate.code, 0, fromTemplate.err);
    const fromServer = run("vserver", ["t3", "build", "-m", "template", "--no-boot", "--", "--source", "t1"]);
    assert.equal(fromServer.code, 0, fromServer.err);
    assert.match(fromServer.err, /[1-9]\d* sharing extents by reflink/);
    for (const name of ["t2", "t3"]) {
      const ssh = path.join(host.paths.rootDir, name, "etc/ssh");
      assert.deepEqual(fs.readdirSync(ssh).sort(), ["ssh_host_ecdsa_key", "ssh_host_ecdsa_key.pub", "ssh_host_ed25519_key", "ssh_host_ed25519_key.pub"]);
      for (const type of ["ed25519", "ecdsa"]) {
        const key = path.join(ssh, `ssh_host_${type}_key`);
        assert.ok(fs.lstatSync(key).isFile(), `${name}: ${type} key is a file of its own, not a link`);
        const pub = fs.readFileSync(`${key}.pub`, "utf8");
        if (type === "ed25519") assert.notEqual(pub.split(" ")[1], sourceKey, `${name} got a host key of its own`);
        assert.equal(execFileSync("ssh-keygen", ["-y", "-f", key], { encoding: "utf8" }).split(" ")[1], pub.split(" ")[1], "its private and public halves match");
        assert.equal(fs.statSync(key).mode & 0o777, 0o600);
      }
      assert.equal(run("vserver", [name, "start"]).code, 0);
      const h = run("vserver", [name, "exec", "cat", "/etc/hostname"]);
      assert.equal(h.out.trim(), name === "t2" ? "t2.example.test" : "t3");
      assert.equal(run("vserver", [name, "stop"]).code, 0);
    }
    assert.equal(fs.readFileSync(path.join(host.paths.confDir, "t2/build/method"), "utf8"), "template\n");
    const missing = run("vserver", ["t4", "build", "-m", "template", "--", "--source", "nosuch"]);
    assert.equal(missing.code, 5);
    assert.equal(fs.existsSync(path.join(host.paths.confDir, "t4")), false);
  });

  it("CLI: a template build interrupted by SIGINT leaves nothing behind", async () => {
    // A template big enough that the unpacking is still running when the signal comes.
    const big = path.join(work, "big");
    fs.mkdirSync(big);
    for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(big, `f${i}`), Buffer.alloc(64 << 20, i + 1));
    const file = path.join(work, "big.tar.zst");
    execFileSync("tar", ["--zstd", "-cf", file, "-C", big, "."]);
    const child = spawn(binPath("vserver"), ["t5", "build", "-m", "template", "--", "--source", file], { env: host.env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    const started = new Promise<void>((resolve) => {
      child.stderr.on("data", (b: Buffer) => {
        err += b.toString();
        if (/unpacking/.test(err)) resolve();
      });
    });
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    await started;
    child.kill("SIGINT");
    const code = await exited;
    assert.notEqual(code, 0, err);
    assert.equal(fs.existsSync(path.join(host.paths.confDir, "t5")), false, err);
    assert.equal(fs.existsSync(path.join(host.paths.rootDir, "t5")), false, err);
  });
});
