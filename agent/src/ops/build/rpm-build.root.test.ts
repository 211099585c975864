/**
 * `vserver NAME build -m rpm` offline, on the real kernel: a local repository made with
 * rpmbuild and createrepo_c; the host's dnf installs into the new root, which has the
 * packages' files and an rpm database where the guest's rpm looks; the server (busybox
 * from an rpm) starts and runs the installed program; repositories and packages can
 * come from VSERVER_CONFDIR/.distributions/DISTRO instead of options; a missing package
 * fails the build and leaves nothing; vrpm says clearly when a guest has no rpm.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { binPath, buildBundle, makeTempHost, type TempHost } from "@/agent/src/ops/testing/temp-host";
import { makeLocalRpmRepo } from "./testing/local-rpm-repo";

let host: TempHost;
let repo = "";

function run(tool: string, args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(binPath(tool), args, { env: host.env, encoding: "utf8", timeout: 300_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe("build -m rpm from a local repository (real kernel)", () => {
  before(() => {
    buildBundle();
    host = makeTempHost();
    repo = makeLocalRpmRepo(path.join(host.base, "rpm"));
  });
  after(async () => {
    await host.cleanup();
  });

  it("installs the packages with their files and database; the server starts and runs them", () => {
    const b = run("vserver", ["r1", "build", "-m", "rpm", "--no-boot", "--", "-d", "vsttest", "--repo", `file://${repo}`, "--package", "vst-busybox,vst-hello"]);
    assert.equal(b.code, 0, b.err);
    assert.match(b.err, /Installing\s*: vst-hello-1\.0-1\.noarch/);
    assert.match(b.err, /without signature checks/);
    const root = path.join(host.paths.rootDir, "r1");
    assert.equal(fs.readFileSync(path.join(root, "usr/share/vst-hello/README"), "utf8"), "readme\n");
    assert.equal(fs.statSync(path.join(root, "usr/bin/vst-hello")).mode & 0o777, 0o755);
    assert.ok(fs.existsSync(path.join(root, "var/lib/rpm/rpmdb.sqlite")), "the database where the guest's rpm looks");
    assert.equal(fs.existsSync(path.join(root, "var/cache/dnf")), false, "dnf's cache is removed");
    assert.equal(fs.readFileSync(path.join(host.paths.confDir, "r1/build/distribution"), "utf8"), "vsttest\n");
    const q = spawnSync("rpm", ["--dbpath", path.join(root, "var/lib/rpm"), "-q", "vst-hello"], { encoding: "utf8" });
    assert.equal(q.stdout.trim(), "vst-hello-1.0-1.noarch");
    assert.equal(run("vserver", ["r1", "start"]).code, 0);
    const hello = run("vserver", ["r1", "exec", "vst-hello"]);
    assert.equal(hello.out, "hello from rpm 1.0\n", hello.err);
    const vrpm = run("vrpm", ["r1", "--", "-qa"]);
    assert.equal(vrpm.code, 1);
    assert.match(vrpm.err, /has no rpm/);
    assert.equal(run("vserver", ["r1", "stop"]).code, 0);
  });

  it("takes repositories and packages from .distributions/DISTRO; a missing package leaves nothing", () => {
    const dist = path.join(host.paths.confDir, ".distributions", "vstlocal");
    fs.mkdirSync(path.join(dist, "yum.repos.d"), { recursive: true });
    fs.writeFileSync(path.join(dist, "yum.repos.d", "local.repo"), `[local]\nname=local\nbaseurl=file://${repo}\ngpgcheck=0\n`);
    fs.writeFileSync(path.join(dist, "pkgs"), "vst-hello\n");
    const b = run("vserver", ["r2", "build", "-m", "rpm", "--no-boot", "--", "-d", "vstlocal"]);
    assert.equal(b.code, 0, b.err);
    assert.ok(fs.existsSync(path.join(host.paths.rootDir, "r2/usr/bin/vst-hello")));
    const bad = run("vserver", ["r3", "build", "-m", "rpm", "--", "-d", "vstlocal", "--package", "no-such-package"]);
    assert.equal(bad.code, 1, bad.err);
    assert.match(bad.err, /dnf failed/);
    assert.equal(fs.existsSync(path.join(host.paths.confDir, "r3")), false);
    assert.equal(fs.existsSync(path.join(host.paths.rootDir, "r3")), false);
    const none = run("vserver", ["r4", "build", "-m", "rpm", "--", "-d", "nothing"]);
    assert.equal(none.code, 2);
    assert.match(none.err, /no packages to install/);
  });
});
