/**
 * A guest cannot leave its disk quota by changing project ids or inode flags (kernel/disk
 * README: in the init user namespace the kernel lets a file's owner do that): inside a
 * busybox server built and started with the CLI, FS_IOC_SETFLAGS (chattr, also with
 * junk in the cmd's upper half and as FS_IOC32_SETFLAGS), FS_IOC_FSSETXATTR and
 * file_setattr fail with EPERM, even with CAP_LINUX_IMMUTABLE in the bounding set, while
 * the reads and ordinary ioctls (FIONREAD, TCGETS and TIOCGPTN on a pty) work. The same
 * probe run on the host, outside any filter, succeeds, so the calls themselves are valid.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { buildBundle, makeTempHost, type TempHost } from "../testing/temp-host";
import { cli, copyIntoGuest, guestSh } from "./testing/cli-host";
import { buildLimitsProbe } from "./testing/limits-probe";

let host: TempHost;
let probe = "";

/** "name result" lines of the probe as a map. */
function results(out: string): Map<string, string> {
  return new Map(out.trim().split("\n").map((l) => l.split(" ") as [string, string]));
}

const SETTERS = ["setflags-nodump", "setflags-immutable", "setflags32", "setflags-highbits", "fssetxattr", "file_setattr"];

describe("seccomp: no project id or inode flag changes from inside a server", () => {
  before(() => {
    buildBundle();
    host = makeTempHost();
    probe = buildLimitsProbe(host.base);
  });
  after(async () => {
    await host.cleanup();
  });

  it("the probe's calls work on the host, outside any filter (the control)", () => {
    const file = path.join(host.base, "control-file");
    fs.writeFileSync(file, "x\n");
    const r = results(execFileSync(probe, ["fsattr", file], { encoding: "utf8" }));
    for (const name of ["setflags-nodump", "setflags-immutable", "setflags-highbits", "fssetxattr", "file_setattr"]) assert.equal(r.get(name), "ok", name);
    // FS_IOC32_SETFLAGS is a compat-only command for a 64-bit caller: the kernel does not know it.
    assert.equal(r.get("setflags32"), "ENOTTY");
    assert.doesNotMatch(execFileSync("lsattr", ["-d", file], { encoding: "utf8" }).split(" ")[0]!, /[id]/, "the probe put the flags back");
  });

  it("inside: every setter fails with EPERM; the reads and ordinary ioctls work", () => {
    assert.equal(cli(host, "vserver", ["attr", "build", "-m", "busybox", "--no-boot"]).code, 0);
    copyIntoGuest(host, "attr", "/bin/limits-probe", probe);
    const s = cli(host, "vserver", ["attr", "start"]);
    assert.equal(s.code, 0, s.err);
    const r = guestSh(host, "attr", "echo data > /tmp/f && /bin/limits-probe fsattr /tmp/f");
    assert.equal(r.code, 0, r.err);
    const got = results(r.out);
    for (const name of SETTERS) assert.equal(got.get(name), "EPERM", `${name}: ${r.out}`);
    for (const name of ["getflags", "fsgetxattr", "file_getattr"]) assert.equal(got.get(name), "ok", name);
    const flags = execFileSync("lsattr", ["-d", path.join(host.paths.rootDir, "attr/tmp/f")], { encoding: "utf8" }).split(" ")[0]!;
    assert.doesNotMatch(flags, /[id]/, "no flag reached the file");
    const io = guestSh(host, "attr", "/bin/limits-probe ioctls");
    assert.deepEqual(results(io.out), new Map([["fionread", "ok"], ["tcgets", "ok"], ["tiocgptn", "ok"]]), io.out + io.err);
  });

  it("inside, with CAP_LINUX_IMMUTABLE given back: still EPERM (the filter, not a capability, refuses)", () => {
    assert.equal(cli(host, "vattribute", ["attr", "--set", "--bcap", "CAP_LINUX_IMMUTABLE"]).code, 0);
    const rs = cli(host, "vserver", ["attr", "restart", "--timeout", "5"]);
    assert.equal(rs.code, 0, rs.err);
    const caps = guestSh(host, "attr", "grep CapBnd /proc/self/status");
    const bnd = BigInt(`0x${caps.out.trim().split(/\s+/)[1]}`);
    assert.ok((bnd >> 9n) & 1n, `CAP_LINUX_IMMUTABLE (9) in the bounding set: ${caps.out}`);
    const r = guestSh(host, "attr", "echo data > /tmp/g && /bin/limits-probe fsattr /tmp/g");
    const got = results(r.out);
    for (const name of SETTERS) assert.equal(got.get(name), "EPERM", `${name}: ${r.out}`);
    assert.equal(cli(host, "vserver", ["attr", "stop", "--timeout", "0"]).code, 0);
    assert.equal(cli(host, "vserver", ["attr", "delete"]).code, 0);
  });
});
