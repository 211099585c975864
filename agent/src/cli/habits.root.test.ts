/**
 * util-vserver's habits through the shipped CLI (agent/bin, the bundle) on a real
 * kernel: `build -m skeleton --busybox` gives a server that starts; `status` with its
 * process count and uptime, `running`, `condrestart`, `suexec`, `--version`, `-s`;
 * an unknown server exits 5, a command the guest cannot run exits 125.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { readRunState } from "@/agent/src/ops/runtime/run-state";
import { binPath, buildBundle, makeTempHost, type TempHost } from "@/agent/src/ops/testing/temp-host";

let host: TempHost;

function run(tool: string, args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(binPath(tool), args, { env: host.env, encoding: "utf8", timeout: 120_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe("vserver CLI: util-vserver habits (busybox server, real kernel)", () => {
  before(() => {
    buildBundle();
    host = makeTempHost();
  });
  after(async () => {
    await host.cleanup();
  });

  it("builds with -m skeleton --busybox a server that starts", () => {
    const b = run("vserver", ["hab", "build", "-m", "skeleton", "--busybox"]);
    assert.equal(b.code, 0, b.err);
    assert.equal(run("vserver", ["hab", "running"]).code, 1);
    const s = run("vserver", ["hab", "start"]);
    assert.equal(s.code, 0, s.err);
    assert.equal(run("vserver", ["hab", "exec", "/bin/true"]).code, 0);
  });

  it("status shows the context, the number of processes and the uptime; running exits 0 with no output", () => {
    const ctx = readRunState(host.paths, "hab")!.context;
    const st = run("vserver", ["hab", "status"]);
    assert.equal(st.code, 0, st.err);
    const lines = st.out.split("\n");
    assert.equal(lines[0], `Vserver 'hab' is running at context '${ctx}'`);
    // Only the init runs: the status itself is a host process.
    assert.equal(lines[1], "Number of processes: 1");
    assert.match(lines[2]!, /^Uptime: {14}\d+m\d\ds\d\d$/);
    const r = run("vserver", ["hab", "running"]);
    assert.deepEqual([r.code, r.out, r.err], [0, "", ""]);
    const quiet = run("vserver", ["-s", "hab", "status"]);
    assert.deepEqual([quiet.code, quiet.out], [0, ""]);
  });

  it("suexec runs as a user of the guest's passwd, by name or number", () => {
    const add = run("vserver", ["hab", "exec", "/bin/sh", "-c", "echo 'www:x:33:33:web:/tmp:/bin/sh' >> /etc/passwd; echo 'logs:x:4:www' >> /etc/group"]);
    assert.equal(add.code, 0, add.err);
    const www = run("vserver", ["hab", "suexec", "www", "/bin/sh", "-c", "echo $(id -u) $(id -g) $(id -G) $HOME $(pwd)"]);
    assert.equal(www.code, 0, www.err);
    assert.equal(www.out, "33 33 33 4 /tmp /tmp\n");
    assert.equal(run("vserver", ["hab", "suexec", "1234", "/bin/sh", "-c", "id -u"]).out, "1234\n");
    const nobody = run("vserver", ["hab", "suexec", "nosuchuser", "/bin/true"]);
    assert.equal(nobody.code, 2);
    assert.match(nobody.err, /no user "nosuchuser"/);
  });

  it("exit codes: 125 for a command the guest cannot run, the command's own otherwise, 5 for an unknown server", () => {
    const missing = run("vserver", ["hab", "exec", "/nonexistent"]);
    assert.equal(missing.code, 125, missing.err);
    assert.match(missing.err, /nonexistent/);
    assert.equal(run("vserver", ["hab", "exec", "/bin/sh", "-c", "exit 127"]).code, 127);
    assert.equal(run("vserver", ["hab", "suexec", "www", "/nonexistent"]).code, 125);
    assert.equal(run("vserver", ["nosuch", "exec", "/bin/true"]).code, 5);
    assert.equal(run("vserver", ["nosuch", "condrestart"]).code, 5);
  });

  it("condrestart restarts a running server and leaves a stopped one stopped", () => {
    const first = readRunState(host.paths, "hab")!;
    const c = run("vserver", ["hab", "condrestart"]);
    assert.equal(c.code, 0, c.err);
    const next = readRunState(host.paths, "hab")!;
    assert.notEqual(next.initPid, first.initPid);
    assert.equal(run("vserver", ["hab", "stop", "--timeout", "0"]).code, 0);
    assert.equal(run("vserver", ["hab", "condrestart"]).code, 0);
    assert.equal(run("vserver", ["hab", "running"]).code, 1);
    const st = run("vserver", ["hab", "status"]);
    assert.deepEqual([st.code, st.out.split("\n")[0]], [3, "Vserver 'hab' is stopped"]);
  });

  it("--version and --help answer; -s silences a build's output, errors still speak", () => {
    assert.match(run("vserver", ["--version"]).out, /^vserver \(VServer Panel\) \d+\.\d+\.\d+/);
    assert.match(run("vserver", ["--help"]).out, /condrestart/);
    const b = run("vserver", ["--silent", "hab2", "build", "--busybox"]);
    assert.deepEqual([b.code, b.out, b.err], [0, "", ""]);
    const again = run("vserver", ["-s", "hab2", "build", "--busybox"]);
    assert.equal(again.code, 6);
    assert.match(again.err, /already exists/);
    assert.equal(run("vserver", ["hab2", "delete"]).code, 0);
  });
});
