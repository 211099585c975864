/**
 * An SFTP backup target against a real OpenSSH server (Debian's openssh-server) on
 * loopback, started by the test with its own config, port and host key in a temp dir:
 * the agent's own ed25519 key (reported by listBackupTargets) is what the server
 * authorizes; a wrong pinned host key is refused and the target not added; a running
 * server is backed up there and a file restored from it; with the SSH server gone the
 * target reports its problem and a backup fails clearly, with no snapshot counted.
 * The temp host's roots are on /tmp's own filesystem: without reflinks there a running
 * server is backed up by the documented fallback ("none").
 */
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { AgentError } from "@/lib/agent-client";
import { buildBundle, makeTempHost, type TempHost } from "@/agent/src/ops/testing/temp-host";
import { startTestAgent, settled, type TestAgent } from "@/agent/src/ops/templates/testing/test-agent";

let host: TempHost;
let agent: TestAgent | undefined;
let sshd: ChildProcess | undefined;
let dir = "";
let port = 0;
let madePrivsep = false;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const p = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return p;
}

async function startSshd(): Promise<void> {
  sshd = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", path.join(dir, "sshd_config")], { stdio: ["ignore", "ignore", "pipe"] });
  for (let i = 0; i < 200; i++) {
    try {
      execFileSync("ssh-keyscan", ["-p", String(port), "-t", "ed25519", "127.0.0.1"], { stdio: ["ignore", "pipe", "ignore"], timeout: 2000 });
      return;
    } catch {
      await sleep(50);
    }
  }
  throw new Error("sshd did not come up");
}

async function stopSshd(): Promise<void> {
  if (!sshd || sshd.exitCode !== null || sshd.signalCode !== null) return;
  const gone = new Promise((r) => sshd!.once("exit", r));
  sshd.kill("SIGTERM");
  await gone;
}

async function opOf(p: Promise<{ operationId: string }>) {
  const { operationId } = await p;
  return settled(agent!.client, operationId);
}

function hostKeyLine(): string {
  return fs.readFileSync(path.join(dir, "host_ed25519.pub"), "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
}

describe("SFTP backup target (real sshd on loopback)", () => {
  before(async () => {
    buildBundle();
    host = makeTempHost();
    dir = fs.mkdtempSync("/tmp/vst-sshd-");
    port = await freePort();
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "host_ed25519")]);
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "other_ed25519")]);
    fs.writeFileSync(path.join(dir, "authorized_keys"), "", { mode: 0o600 });
    fs.mkdirSync(path.join(dir, "repos"), { mode: 0o700 });
    fs.writeFileSync(
      path.join(dir, "sshd_config"),
      [
        `Port ${port}`, "ListenAddress 127.0.0.1", `HostKey ${path.join(dir, "host_ed25519")}`, `PidFile ${path.join(dir, "sshd.pid")}`,
        `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`, "StrictModes no", "UsePAM no", "PermitRootLogin prohibit-password",
        "PasswordAuthentication no", "KbdInteractiveAuthentication no", "Subsystem sftp internal-sftp", "LogLevel ERROR", "",
      ].join("\n"),
    );
    if (!fs.existsSync("/run/sshd")) {
      fs.mkdirSync("/run/sshd", { mode: 0o755 });
      madePrivsep = true;
    }
    await startSshd();
    agent = await startTestAgent(host);
  });
  after(async () => {
    await agent?.stop();
    await stopSshd();
    await host?.cleanup();
    if (madePrivsep) fs.rmSync("/run/sshd", { recursive: true, force: true });
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("authorizes the agent's own key, refuses a wrong pinned host key, backs up a running server there and restores a file", async () => {
    const c = agent!.client;
    const { sshPublicKey } = await c.listBackupTargets({});
    assert.match(sshPublicKey, /^ssh-ed25519 \S+ vserver-panel-backup$/);
    fs.writeFileSync(path.join(dir, "authorized_keys"), `${sshPublicKey}\n`);
    const location = { kind: "sftp" as const, host: "127.0.0.1", port, user: "root", path: path.join(dir, "repos", "r1") };
    const wrongKey = fs.readFileSync(path.join(dir, "other_ed25519.pub"), "utf8").trim();
    await assert.rejects(c.putBackupTarget({ id: "remote", location: { ...location, hostKey: wrongKey } }), (e: unknown) => {
      assert.ok(e instanceof AgentError && e.code === "KERNEL", String(e));
      return true;
    });
    assert.ok(!(await c.listBackupTargets({})).targets.some((t) => t.id === "remote"), "a refused target is not added");
    assert.ok(!fs.existsSync(location.path), "nothing was written with the wrong host key");
    const info = await c.putBackupTarget({ id: "remote", location: { ...location, hostKey: hostKeyLine() } });
    assert.equal(info.initialized, true);
    assert.ok(fs.existsSync(path.join(location.path, "config")), "the repository is on the SSH server");

    assert.equal((await opOf(c.createVserver({ name: "s1", hostname: "s1", method: "busybox", startOnBoot: false, start: true }))).state, "succeeded");
    await c.execInVserver({ name: "s1", argv: ["/bin/sh", "-c", "echo remote-v1 > /root/f"] });
    const op = await opOf(c.createBackup({ name: "s1", owner: "o1", target: "remote" }));
    assert.equal(op.state, "succeeded", JSON.stringify(op.error));
    const [snap] = (await c.listBackups({ target: "remote", name: "s1", owner: "o1" })).snapshots;
    assert.ok(snap);
    const reflinks = (() => {
      const probe = path.join(host.paths.rootDir, ".probe");
      fs.writeFileSync(probe, "x");
      try {
        execFileSync("cp", ["--reflink=always", probe, `${probe}2`], { stdio: "ignore" });
        return true;
      } catch {
        return false;
      } finally {
        fs.rmSync(probe, { force: true });
        fs.rmSync(`${probe}2`, { force: true });
      }
    })();
    assert.equal(snap.consistency, reflinks ? "reflink" : "none");
    await c.execInVserver({ name: "s1", argv: ["/bin/sh", "-c", "echo changed > /root/f"] });
    const restored = await opOf(c.restoreBackupFiles({ target: "remote", name: "s1", owner: "o1", snapshot: snap.shortId, paths: ["/root/f"] }));
    assert.equal(restored.state, "succeeded", JSON.stringify(restored.error));
    assert.equal((await c.execInVserver({ name: "s1", argv: ["cat", "/root/f"] })).stdout, "remote-v1\n");
  });

  it("with the SSH server gone: the target reports its problem and a backup fails clearly, no snapshot counted", async () => {
    const c = agent!.client;
    await stopSshd();
    const remote = (await c.listBackupTargets({})).targets.find((t) => t.id === "remote");
    assert.ok(remote?.problem, "a problem is reported");
    const op = await opOf(c.createBackup({ name: "s1", owner: "o1", target: "remote" }));
    assert.equal(op.state, "failed");
    assert.match(op.error?.message ?? "", /restic/);
    await startSshd();
    assert.equal((await c.listBackups({ target: "remote", name: "s1", owner: "o1" })).snapshots.length, 1);
  });
});
