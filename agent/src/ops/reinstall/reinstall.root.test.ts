/**
 * `vserver NAME reinstall` on the real kernel, for a server on a loop image (disk limit)
 * and one on a plain directory: the new root replaces the old one and runs; context,
 * addresses, limits, the disk area (same image path, one loop device) and root's
 * password hash stay; a reinstall whose new root cannot start puts the old root back
 * and the server runs as before; nothing of the staging is left either way.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { binPath, buildBundle, makeTempHost, type TempHost } from "@/agent/src/ops/testing/temp-host";
import { setGuestRootAccess } from "../build/root-access";

let host: TempHost;

function run(tool: string, args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(binPath(tool), args, { env: host.env, encoding: "utf8", timeout: 120_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function sh(name: string, script: string): string {
  const r = run("vserver", [name, "exec", "/bin/sh", "-c", script]);
  assert.equal(r.code, 0, r.err);
  return r.out;
}

function configSnapshot(name: string): Record<string, string> {
  const dir = path.join(host.paths.confDir, name);
  const out: Record<string, string> = {};
  for (const f of ["context", "interfaces/00/ip", "interfaces/00/prefix", "limits/memory", "limits/pids", "limits/disk", "dlimits/image", "dlimits/space_total", "dlimits/mode", "uts/nodename"]) {
    const p = path.join(dir, f);
    if (fs.existsSync(p)) out[f] = fs.readFileSync(p, "utf8");
  }
  return out;
}

function loopsOf(image: string): string[] {
  return spawnSync("losetup", ["-j", image], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
}

function rootHash(name: string): string {
  return fs.readFileSync(path.join(host.paths.rootDir, name, "etc/shadow"), "utf8").split("\n").find((l) => l.startsWith("root:"))!.split(":")[1]!;
}

describe("vserver NAME reinstall (busybox servers, real kernel)", () => {
  before(() => {
    buildBundle();
    host = makeTempHost();
  });
  after(async () => {
    await host.cleanup();
  });

  for (const [kind, name, extra] of [
    ["a loop image", "img1", ["--disk", "64M", "--interface", "10.231.7.2/24"]],
    ["a plain directory", "dir1", ["--interface", "10.231.8.3/24"]],
  ] as const) {
    it(`${kind}: a new root that runs, everything configured kept; a failed one puts the old root back`, () => {
      const b = run("vserver", [name, "build", "-m", "busybox", "--no-boot", "--memory", "128M", "--pids", "100", ...extra]);
      assert.equal(b.code, 0, b.err);
      setGuestRootAccess(path.join(host.paths.rootDir, name), { rootPassword: "correct horse battery" });
      const hash = rootHash(name);
      assert.equal(run("vserver", [name, "start"]).code, 0);
      sh(name, "echo old > /root/marker");
      const before = configSnapshot(name);
      const image = path.join(host.paths.rootDir, ".images", `${name}.img`);

      const ok = run("vserver", [name, "reinstall", "-m", "busybox"]);
      assert.equal(ok.code, 0, ok.err);
      assert.match(ok.err, /the old one is kept until the new one has started/);
      assert.equal(sh(name, "ls /root"), "", "a fresh root");
      assert.match(sh(name, "ip -4 addr show"), new RegExp(extra[extra.length - 1]!.replace(/\./g, "\\.")));
      assert.deepEqual(configSnapshot(name), before);
      assert.equal(rootHash(name), hash, "root's password is carried over");
      if (kind === "a loop image") {
        assert.equal(loopsOf(image).length, 1);
        assert.match(sh(name, "df -k / | tail -1"), /^\S+\s+6\d{4}\s/, "the root is still the 64M image");
      }
      assert.deepEqual(fs.readdirSync(path.join(host.paths.rootDir, ".reinstall")), []);

      sh(name, "echo kept > /root/marker");
      const bad = run("vserver", [name, "reinstall", "-m", "skeleton"]);
      assert.equal(bad.code, 1, bad.err);
      assert.match(bad.err, /could not start: exec failed with ENOENT \(\/sbin\/init\)/);
      assert.equal(run("vserver", [name, "status"]).code, 0, "running again");
      assert.equal(sh(name, "cat /root/marker"), "kept\n", "the old root is back");
      assert.equal(fs.readFileSync(path.join(host.paths.confDir, name, "build/method"), "utf8"), "busybox\n");
      assert.deepEqual(configSnapshot(name), before);
      if (kind === "a loop image") assert.equal(loopsOf(image).length, 1);
      assert.deepEqual(fs.readdirSync(path.join(host.paths.rootDir, ".reinstall")), []);
      assert.equal(run("vserver", [name, "stop"]).code, 0);

      // Stopped, without a start: replaced at once, and it stays stopped.
      const quiet = run("vserver", [name, "reinstall", "-m", "skeleton", "--no-start"]);
      assert.equal(quiet.code, 0, quiet.err);
      assert.equal(run("vserver", [name, "status"]).code, 3);
      assert.equal(fs.existsSync(path.join(host.paths.rootDir, name, "bin/busybox")), false);
      assert.equal(fs.readFileSync(path.join(host.paths.confDir, name, "build/method"), "utf8"), "skeleton\n");
    });
  }

  it("refuses bad input and unknown servers without changing anything", () => {
    const none = run("vserver", ["nosuch", "reinstall", "-m", "busybox"]);
    assert.equal(none.code, 5, none.err);
    const bad = run("vserver", ["dir1", "reinstall", "-m", "debootstrap"]);
    assert.equal(bad.code, 2, bad.err);
    assert.match(bad.err, /needs -d RELEASE/);
    const usage = run("vserver", ["dir1", "reinstall"]);
    assert.equal(usage.code, 2);
    assert.equal(fs.readFileSync(path.join(host.paths.confDir, "dir1", "build/method"), "utf8"), "skeleton\n");
  });
});
