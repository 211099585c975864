/**
 * The provisioning operations of the agent API over its unix socket (the bundled daemon),
 * with busybox servers on a loop-mounted XFS with reflink: templates (export of a stopped
 * server only, a running one refused at once, listing, a build from one, deletion), createVserver's method options
 * checked at once (no host paths), reinstallVserver (addresses and limits kept; a failing
 * one reports its error and the old root runs again), updatePackages failing clearly,
 * unifyVservers and getUnifyReport (servers on the shared XFS share; a loop-image server
 * is reported and left alone), and vunify on an ext4 host saying so and doing nothing.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AgentError } from "@/lib/agent-client";
import { binPath, buildBundle, makeTempHost, type TempHost } from "@/agent/src/ops/testing/temp-host";
import { startTestAgent, settled, type TestAgent } from "@/agent/src/ops/templates/testing/test-agent";
import { makeReflinkHost, type ReflinkHost } from "@/agent/src/ops/unify/testing/reflink-host";

let host: ReflinkHost;
let agent: TestAgent | undefined;

async function rejectsWith(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AgentError, String(e));
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

async function opOf(p: Promise<{ operationId: string }>) {
  const { operationId } = await p;
  return settled(agent!.client, operationId);
}

describe("agent API: templates, reinstall, package updates, unify (busybox servers, XFS)", () => {
  before(async () => {
    buildBundle();
    host = makeReflinkHost("2G");
    agent = await startTestAgent(host);
  });
  after(async () => {
    await agent?.stop();
    await host?.cleanup();
  });

  it("templates: exported from a stopped server as an operation, listed, built from, deleted", async () => {
    const c = agent!.client;
    assert.equal((await opOf(c.createVserver({ name: "p1", hostname: "p1", method: "busybox", startOnBoot: false }))).state, "succeeded");
    await c.startVserver({ name: "p1" });
    await rejectsWith(c.exportTemplate({ name: "p1", template: "bbt" }), "WRONG_STATE", /running; stop it first/);
    await c.stopVserver({ name: "p1" });
    const exported = await opOf(c.exportTemplate({ name: "p1", template: "bbt", description: "busybox" }));
    assert.equal(exported.state, "succeeded", JSON.stringify(exported.error));
    assert.ok(exported.lines.some((l) => /^exported \d+ entries/.test(l.text)));
    const { templates } = await c.listTemplates({});
    assert.deepEqual(templates.map((t) => [t.name, t.sourceVserver, t.buildMethod, t.description]), [["bbt", "p1", "busybox", "busybox"]]);
    await rejectsWith(c.exportTemplate({ name: "p1", template: "bbt" }), "CONFLICT");
    await rejectsWith(c.exportTemplate({ name: "nosuch", template: "x" }), "NOT_FOUND");
    const built = await opOf(c.createVserver({ name: "p2", hostname: "p2.example.test", method: "template", methodArgs: ["--source", "bbt"], startOnBoot: false, interfaces: [{ address: "10.231.9.2", prefix: 24 }], limits: { memory: 128 << 20 } }));
    assert.equal(built.state, "succeeded", JSON.stringify(built.error));
    await c.startVserver({ name: "p2" });
    assert.equal((await c.execInVserver({ name: "p2", argv: ["cat", "/etc/hostname"] })).stdout, "p2.example.test\n");
    await rejectsWith(c.createVserver({ name: "p3", hostname: "p3", method: "template", methodArgs: ["--source", "/etc"] }), "BAD_REQUEST", /host paths only from the CLI/);
    await rejectsWith(c.createVserver({ name: "p3", hostname: "p3", method: "debootstrap", methodArgs: [] }), "BAD_REQUEST", /needs -d RELEASE/);
    const missing = await opOf(c.createVserver({ name: "p3", hostname: "p3", method: "template", methodArgs: ["--source", "nosuch"] }));
    assert.equal(missing.error?.code, "NOT_FOUND");
    await rejectsWith(c.getVserver({ name: "p3" }), "NOT_FOUND");
  });

  it("reinstallVserver keeps addresses and limits; a failing one reports why and the old root runs again", async () => {
    const c = agent!.client;
    const before = await c.getVserver({ name: "p2" });
    await c.execInVserver({ name: "p2", argv: ["/bin/sh", "-c", "echo old > /root/marker"] });
    const good = await opOf(c.reinstallVserver({ name: "p2", method: "busybox" }));
    assert.equal(good.state, "succeeded", JSON.stringify(good.error));
    assert.ok(good.lines.some((l) => l.text === "the old root is removed"));
    const now = await c.getVserver({ name: "p2" });
    assert.equal(now.state, "running");
    assert.deepEqual([now.context, now.interfaces, now.limits, now.hostname], [before.context, before.interfaces, before.limits, before.hostname]);
    assert.equal(now.buildMethod, "busybox");
    assert.equal((await c.execInVserver({ name: "p2", argv: ["ls", "/root"] })).stdout, "");
    await c.execInVserver({ name: "p2", argv: ["/bin/sh", "-c", "echo kept > /root/marker"] });
    const bad = await opOf(c.reinstallVserver({ name: "p2", method: "skeleton" }));
    assert.equal(bad.state, "failed");
    assert.equal(bad.error?.code, "KERNEL");
    assert.match(bad.error?.message ?? "", /could not start/);
    assert.equal((await c.getVserver({ name: "p2" })).state, "running");
    assert.equal((await c.execInVserver({ name: "p2", argv: ["cat", "/root/marker"] })).stdout, "kept\n");
    await rejectsWith(c.reinstallVserver({ name: "p2", method: "template", methodArgs: ["--source", "/srv/x.tar"] }), "BAD_REQUEST");
    await rejectsWith(c.reinstallVserver({ name: "nosuch", method: "busybox" }), "NOT_FOUND");
  });

  it("updatePackages fails clearly for a stopped server and one without a package manager", async () => {
    const c = agent!.client;
    const stopped = await opOf(c.updatePackages({ name: "p1" }));
    assert.equal(stopped.error?.code, "WRONG_STATE");
    const none = await opOf(c.updatePackages({ name: "p2" }));
    assert.equal(none.error?.code, "UNSUPPORTED");
    assert.match(none.error?.message ?? "", /no apt-get, dnf or yum/);
  });

  it("unifyVservers shares across the XFS servers; a loop-image server is reported and left alone", async () => {
    const c = agent!.client;
    assert.deepEqual(await c.getUnifyReport({}), { report: null });
    const loop = await opOf(c.createVserver({ name: "p4", hostname: "p4", method: "busybox", limits: { diskBytes: 64 << 20 }, startOnBoot: false }));
    assert.equal(loop.state, "succeeded", JSON.stringify(loop.error));
    const op = await opOf(c.unifyVservers({}));
    assert.equal(op.state, "succeeded", JSON.stringify(op.error));
    const { report } = await c.getUnifyReport({});
    assert.ok(report);
    const xfs = report.filesystems.find((f) => f.fsType === "xfs");
    const ext4 = report.filesystems.find((f) => f.fsType === "ext4");
    assert.deepEqual(xfs?.servers, ["p1", "p2"]);
    assert.ok(xfs!.sharedFiles >= 1 && xfs!.sharedBytes >= 1 << 20, JSON.stringify(xfs));
    assert.deepEqual(ext4?.servers, ["p4"]);
    assert.equal(ext4?.supported, false);
    assert.match(ext4?.reason ?? "", /loop disk image.*own filesystem/);
    assert.equal(report.totalSavedBytes, report.savedBytes);
    await rejectsWith(c.unifyVservers({ names: ["nosuch"] }), "NOT_FOUND");
    await c.deleteTemplate({ template: "bbt" });
    assert.deepEqual((await c.listTemplates({})).templates, []);
    await rejectsWith(c.deleteTemplate({ template: "bbt" }), "NOT_FOUND");
  });
});

describe("vunify on an ext4 host", () => {
  let plain: TempHost;
  before(() => {
    plain = makeTempHost();
  });
  after(async () => {
    await plain.cleanup();
  });

  it("says the filesystem cannot share and changes nothing", () => {
    const run = (args: string[]) => spawnSync(binPath(args[0]!), args.slice(1), { env: plain.env, encoding: "utf8", timeout: 120_000 });
    for (const n of ["e1", "e2"]) assert.equal(run(["vserver", n, "build", "-m", "busybox", "--no-boot"]).status, 0);
    const ino = fs.statSync(path.join(plain.paths.rootDir, "e2/bin/busybox")).ino;
    const r = run(["vunify", "--all"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /ext4 \(e1, e2\): ext4 cannot share file data between files \(vunify needs XFS with reflink=1 or btrfs\)/);
    assert.match(r.stdout, /nothing could be shared/);
    assert.equal(fs.statSync(path.join(plain.paths.rootDir, "e2/bin/busybox")).ino, ino);
    const usage = run(["vunify"]);
    assert.equal(usage.status, 2);
  });
});
