/** METHOD-OPTIONS parsing and the debootstrap/dnf command lines, without a kernel. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { debootstrapArgv } from "./debootstrap";
import { parseMethodArgs } from "./method-args";
import { dnfArgv, repoFileText } from "./rpm-install";
import { containedArgv } from "./run-contained";

const cli = { allowHostPaths: true };
const api = { allowHostPaths: false };

describe("build method options", () => {
  it("parses each method's options", () => {
    assert.deepEqual(parseMethodArgs("debootstrap", ["-d", "bookworm", "-m", "http://deb.debian.org/debian", "--variant", "minbase", "--include", "less,vim-tiny"], api), {
      method: "debootstrap", release: "bookworm", mirror: "http://deb.debian.org/debian", variant: "minbase", include: ["less", "vim-tiny"], components: [],
    });
    assert.deepEqual(parseMethodArgs("rpm", ["-d", "alma9", "--repo", "https://repo.example/os/", "-p", "basesystem", "--package", "dnf", "--releasever", "9"], api), {
      method: "rpm", distribution: "alma9", repos: ["https://repo.example/os/"], packages: ["basesystem", "dnf"], releasever: "9",
    });
    assert.deepEqual(parseMethodArgs("template", ["--source", "debian12"], api), { method: "template", source: "debian12", reflink: true });
    assert.deepEqual(parseMethodArgs("template", ["--source=/srv/t.tar.zst", "--no-reflink"], cli), { method: "template", source: "/srv/t.tar.zst", reflink: false });
    assert.deepEqual(parseMethodArgs("busybox", [], api), { method: "busybox" });
  });

  it("refuses what is wrong, naming it", () => {
    const bad = (m: string, a: string[], re: RegExp, ctx = api) => assert.throws(() => parseMethodArgs(m, a, ctx), (e: { code?: string; message: string }) => e.code === "BAD_REQUEST" && re.test(e.message));
    bad("debootstrap", [], /needs -d RELEASE/);
    bad("debootstrap", ["-d", "Bookworm;rm"], /not a release name/);
    bad("debootstrap", ["-d", "bookworm", "--variant", "fakechroot"], /--variant fakechroot/);
    bad("debootstrap", ["-d", "bookworm", "-m", "ftp://x/"], /only http, https and file/);
    bad("debootstrap", ["-d", "bookworm", "-m", "file:///srv/mirror"], /only accepted from the host's CLI/);
    bad("debootstrap", ["-d", "bookworm", "--include", "a b"], /not a valid name/);
    bad("debootstrap", ["-d", "bookworm", "--keyring", "/x"], /Unknown option/);
    bad("rpm", ["--repo", "https://x/"], /needs -d DISTRIBUTION/);
    bad("template", [], /needs --source/);
    bad("template", ["--source", "/etc/shadow"], /host paths only from the CLI/);
    bad("template", ["--source", "rel/x.tar"], /absolute path/, cli);
    bad("template", ["--source", "Bad Name"], /not a template or server name/);
    bad("skeleton", ["-x"], /takes no method options/);
    bad("lxc", [], /not a build method/);
    assert.doesNotThrow(() => parseMethodArgs("debootstrap", ["-d", "bookworm", "-m", "file:///srv/mirror"], cli));
  });

  it("builds debootstrap's command line from options and the host's defaults", () => {
    const confDir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-dist-"));
    try {
      const paths = { confDir, rootDir: "/vservers", runDir: "/run/vservers" };
      const spec = parseMethodArgs("debootstrap", ["-d", "jammy"], api);
      if (spec.method !== "debootstrap") throw new Error("unreachable");
      assert.deepEqual(debootstrapArgv({ paths, root: "/vservers/u", spec }).argv, ["debootstrap", "--variant=minbase", "jammy", "/vservers/u", "http://deb.debian.org/debian"]);
      fs.mkdirSync(path.join(confDir, ".distributions/jammy"), { recursive: true });
      fs.writeFileSync(path.join(confDir, ".distributions/jammy/debootstrap.mirror"), "http://archive.ubuntu.com/ubuntu\n");
      fs.writeFileSync(path.join(confDir, ".distributions/jammy/debootstrap.include"), "# extra\nlocales\n");
      fs.mkdirSync(path.join(confDir, ".defaults/apps/debootstrap"), { recursive: true });
      fs.writeFileSync(path.join(confDir, ".defaults/apps/debootstrap/cache"), "/var/cache/vserver-panel/debootstrap\n");
      const saved = process.env.VSERVER_DEBOOTSTRAP_CACHE;
      delete process.env.VSERVER_DEBOOTSTRAP_CACHE;
      try {
        assert.deepEqual(debootstrapArgv({ paths, root: "/vservers/u", spec: { ...spec, variant: "buildd" } }).argv, [
          "debootstrap", "--variant=buildd", "--include=locales", "--cache-dir=/var/cache/vserver-panel/debootstrap", "jammy", "/vservers/u", "http://archive.ubuntu.com/ubuntu",
        ]);
      } finally {
        if (saved !== undefined) process.env.VSERVER_DEBOOTSTRAP_CACHE = saved;
      }
    } finally {
      fs.rmSync(confDir, { recursive: true, force: true });
    }
  });

  it("runs installers contained, and dnf only with our repositories", () => {
    assert.deepEqual(containedArgv(["debootstrap", "x"]).slice(0, 4), ["setpriv", "--pdeathsig", "KILL", "--"]);
    assert.ok(containedArgv(["x"]).includes("--kill-child"));
    const argv = dnfArgv("/vservers/r", "/tmp/repos", "9", ["basesystem"]);
    assert.ok(argv.includes("--noplugins") && argv.includes("--installroot=/vservers/r") && argv.includes("--setopt=reposdir=/tmp/repos"));
    assert.equal(argv.at(-1), "basesystem");
    assert.match(repoFileText("vs-repo-0", "file:///srv/repo"), /^\[vs-repo-0\]\nname=vs-repo-0\nbaseurl=file:\/\/\/srv\/repo\n/);
  });
});
