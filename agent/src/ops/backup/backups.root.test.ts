/**
 * Backups through the agent API (the bundled daemon) with busybox servers on a
 * loop-mounted XFS with reflink, the default local target made on first use:
 * a running server is backed up from a frozen reflink copy (it keeps running, the freeze
 * is measured), a changed file makes a second snapshot; a snapshot is browsed (a symlink
 * is an entry, never followed); one file is restored into the running server; a guest
 * symlink pointing at a host path is restored as a link and nothing on the host is
 * touched, also when the restore goes "into" a guest symlink to a host directory; the
 * whole server is restored (FIFO, device node, sparse file and symlink as what they
 * are) and runs; a running loop-image server from a reflink of its frozen image;
 * another server's or owner's snapshot is NOT_FOUND; retention; a new
 * server from a snapshot; restic check; kill -9 of the agent mid-backup leaves a
 * repository that checks clean, the job failed with the reason, the server running.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { AgentError, openBackupDownload } from "@/lib/agent-client";
import { readToken } from "@/agent/src/auth/credential";
import { binPath, buildBundle } from "@/agent/src/ops/testing/temp-host";
import { startTestAgent, settled, type TestAgent } from "@/agent/src/ops/templates/testing/test-agent";
import { makeReflinkHost, type ReflinkHost } from "@/agent/src/ops/unify/testing/reflink-host";
import { alive, findProcess } from "./testing/host-processes";

let host: ReflinkHost;
let agent: TestAgent | undefined;
let outside = "";

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AgentError, String(e));
    assert.equal(e.code, code, e.message);
    return true;
  });
}

async function opOf(p: Promise<{ operationId: string }>) {
  const { operationId } = await p;
  return settled(agent!.client, operationId);
}

async function sh(name: string, script: string): Promise<string> {
  const r = await agent!.client.execInVserver({ name, argv: ["/bin/sh", "-c", script] });
  return r.stdout;
}

function rootOf(name: string): string {
  return fs.realpathSync(path.join(host.paths.confDir, name, "vdir"));
}

const owner = "srv_b1";

describe("backups (agent API, busybox servers, XFS with reflink, local target)", () => {
  before(async () => {
    buildBundle();
    host = makeReflinkHost("3G");
    outside = fs.mkdtempSync("/tmp/vst-bk-outside-");
    fs.writeFileSync(path.join(outside, "secret"), "host secret\n");
    agent = await startTestAgent(host);
  });
  after(async () => {
    await agent?.stop();
    await host?.cleanup();
    if (outside) fs.rmSync(outside, { recursive: true, force: true });
  });

  let first = "";
  let second = "";

  it("backs up a running server from a frozen reflink copy; it keeps running; a changed file makes a second snapshot", async () => {
    const c = agent!.client;
    assert.equal((await opOf(c.createVserver({ name: "b1", hostname: "b1", method: "busybox", startOnBoot: false, start: true }))).state, "succeeded");
    const root = rootOf("b1");
    // What a guest can leave: a link to a host path, a FIFO, a device node, a sparse file.
    await sh("b1", `echo v1 > /root/a; echo bye > /root/gone; ln -s ${outside}/secret /root/hostlink; ln -s ${outside} /root/hostdir`);
    execFileSync("mkfifo", [path.join(root, "root/fifo")]);
    execFileSync("mknod", [path.join(root, "root/nullish"), "c", "1", "3"]);
    execFileSync("truncate", ["-s", "256M", path.join(root, "root/sparse")]);
    fs.writeFileSync(path.join(root, "root/sparse"), "head", { flag: "r+" });
    const before = await c.getVserver({ name: "b1" });
    const op = await opOf(c.createBackup({ name: "b1", owner, target: "local", note: "first", panelRecord: { plan: "small" } }));
    assert.equal(op.state, "succeeded", JSON.stringify(op.error));
    const { snapshots } = await c.listBackups({ target: "local", name: "b1", owner });
    assert.equal(snapshots.length, 1);
    const s = snapshots[0]!;
    assert.equal(s.consistency, "reflink");
    assert.ok(s.freezeMs !== null && s.freezeMs > 0, `freeze ${s.freezeMs}`);
    assert.ok(s.files > 5 && s.totalBytes >= 256 << 20 && s.addedBytes > 0, JSON.stringify(s));
    assert.equal(s.note, "first");
    assert.ok(op.lines.some((l) => l.text.includes(s.id)), "the log names the snapshot");
    const now = await c.getVserver({ name: "b1" });
    assert.equal(now.state, "running");
    assert.equal(now.initPid, before.initPid);
    assert.equal((await sh("b1", "echo alive")).trim(), "alive");
    assert.ok(!fs.existsSync(path.join(host.paths.rootDir, ".backup", "b1")), "the view is removed");
    assert.ok(fs.statSync(path.join(host.paths.rootDir, ".backup-kept", "b1")).isDirectory(), "the root copy is kept for the next backup");
    first = s.id;

    // Changed just before the second backup (whose copy is caught up from the kept one and
    // frozen only for what changed): a file of the same size, a file deleted.
    await sh("b1", "echo v2 > /root/a; rm /root/gone");
    const op2 = await opOf(c.createBackup({ name: "b1", owner, target: "local" }));
    assert.equal(op2.state, "succeeded", JSON.stringify(op2.error));
    const list = (await c.listBackups({ target: "local", name: "b1", owner })).snapshots;
    assert.equal(list.length, 2);
    second = list[1]!.id;
    assert.ok(op2.lines.some((l) => l.text.includes(`snapshot ${second} `)), "the job names the snapshot listed (its full id)");
    assert.ok(list[1]!.addedBytes < s.addedBytes, "the second backup adds less than the first");
    assert.equal(list[1]!.consistency, "reflink");
    const names = async (snapshot: string) => (await c.browseBackup({ target: "local", name: "b1", owner, snapshot, path: "/root" })).entries.map((e) => e.name);
    assert.ok((await names(first)).includes("gone"));
    assert.ok(!(await names(second)).includes("gone"), "a file deleted before the backup is not in it");
    const config = { endpoint: `unix:${path.join(host.base, "agent.sock")}`, credential: readToken(path.join(host.paths.confDir, ".agent")) };
    const a = await openBackupDownload(config, { target: "local", name: "b1", owner, snapshot: second, path: "/root/a" });
    assert.equal((await buffer(a.body)).toString(), "v2\n", "a change made before the backup is in it");
  });

  it("browses a snapshot's directory; a symlink is an entry and a path through it is not found", async () => {
    const c = agent!.client;
    const ref = { target: "local", name: "b1", owner, snapshot: first };
    const { entries } = await c.browseBackup({ ...ref, path: "/root" });
    const byName = new Map(entries.map((e) => [e.name, e]));
    assert.equal(byName.get("a")?.type, "file");
    assert.equal(byName.get("a")?.size, 3);
    assert.equal(byName.get("hostlink")?.type, "symlink");
    assert.equal(byName.get("fifo")?.type, "fifo");
    assert.equal(byName.get("nullish")?.type, "dev");
    assert.equal(byName.get("sparse")?.size, 256 << 20);
    await rejectsWith(c.browseBackup({ ...ref, path: "/root/hostdir" }), "NOT_FOUND");
    await rejectsWith(c.browseBackup({ ...ref, path: "/nosuch" }), "NOT_FOUND");
    assert.ok((await c.browseBackup({ ...ref, path: "/" })).entries.some((e) => e.name === "etc" && e.type === "dir"));
  });

  it("downloads a file as its bytes and a directory as .tar.zst (links as links); a path through a link, a FIFO, another owner: refused", async () => {
    const config = { endpoint: `unix:${path.join(host.base, "agent.sock")}`, credential: readToken(path.join(host.paths.confDir, ".agent")) };
    const ref = { target: "local", name: "b1", owner, snapshot: first };
    const file = await openBackupDownload(config, { ...ref, path: "/root/a" });
    assert.equal(file.kind, "file");
    assert.equal(file.filename, "a");
    assert.equal((await buffer(file.body)).toString(), "v1\n");
    const dir = await openBackupDownload(config, { ...ref, path: "/etc" });
    assert.equal(dir.kind, "dir");
    assert.equal(dir.filename, "etc.tar.zst");
    const tarball = path.join(outside, "..", `${path.basename(outside)}-etc.tar.zst`);
    fs.writeFileSync(tarball, await buffer(dir.body));
    try {
      const listing = execFileSync("tar", ["--zstd", "-tvf", tarball], { encoding: "utf8" });
      assert.match(listing, /etc\/passwd/);
    } finally {
      fs.rmSync(tarball, { force: true });
    }
    const root = await openBackupDownload(config, { ...ref, path: "/root" });
    const rootTar = path.join(outside, "..", `${path.basename(outside)}-root.tar.zst`);
    fs.writeFileSync(rootTar, await buffer(root.body));
    try {
      const listing = execFileSync("tar", ["--zstd", "-tvf", rootTar], { encoding: "utf8" });
      assert.match(listing, new RegExp(`^l.*root/hostlink -> ${outside}/secret$`, "m"));
    } finally {
      fs.rmSync(rootTar, { force: true });
    }
    await rejectsWith(openBackupDownload(config, { ...ref, path: "/root/hostdir/secret" }), "NOT_FOUND");
    await rejectsWith(openBackupDownload(config, { ...ref, path: "/root/fifo" }), "BAD_REQUEST");
    await rejectsWith(openBackupDownload(config, { ...ref, owner: "someone_else", path: "/root/a" }), "NOT_FOUND");
    await rejectsWith(openBackupDownload(config, { ...ref, path: "/root/../../etc/shadow" }), "BAD_REQUEST");
  });

  it("refuses another server's or another owner's snapshot as not found, nothing read", async () => {
    const c = agent!.client;
    await rejectsWith(c.browseBackup({ target: "local", name: "b1", owner: "someone_else", snapshot: first, path: "/" }), "NOT_FOUND");
    await rejectsWith(c.restoreBackupFiles({ target: "local", name: "b1", owner: "someone_else", snapshot: first, paths: ["/root/a"] }), "NOT_FOUND");
    await rejectsWith(c.deleteBackup({ target: "local", name: "b1", owner: "someone_else", snapshot: first }), "NOT_FOUND");
    await rejectsWith(c.restoreBackup({ target: "local", name: "b1", owner: "x", snapshot: first.slice(0, 8) }), "NOT_FOUND");
    assert.equal((await c.listBackups({ target: "local", name: "b1", owner: "someone_else" })).snapshots.length, 0);
    await rejectsWith(c.listBackups({ target: "nosuch" }), "NOT_FOUND");
  });

  it("restores one file into the running server, and a host-pointing symlink as a link without touching the host", async () => {
    const c = agent!.client;
    const ref = { target: "local", name: "b1", owner, snapshot: first };
    const init = (await c.getVserver({ name: "b1" })).initPid;
    // The guest replaces its copies with traps: a link where the file was, a dir link to the host.
    await sh("b1", `rm -f /root/a /root/hostlink; ln -s ${outside}/secret /root/a; ln -s ${outside} /restore-here`);
    const op = await opOf(c.restoreBackupFiles({ ...ref, paths: ["/root/a", "/root/hostlink"] }));
    assert.equal(op.state, "succeeded", JSON.stringify(op.error));
    assert.equal(await sh("b1", "cat /root/a"), "v1\n");
    assert.equal((await sh("b1", "readlink /root/hostlink")).trim(), `${outside}/secret`);
    // A guest link to a host directory the guest does not have: refused, nothing made anywhere.
    const dangling = await opOf(c.restoreBackupFiles({ ...ref, paths: ["/root/a"], into: "/restore-here" }));
    assert.equal(dangling.state, "failed");
    assert.equal(dangling.error?.code, "BAD_REQUEST");
    // Once the guest has a directory of that name, the link resolves inside the guest, to it.
    await sh("b1", `mkdir -p ${outside}`);
    const into = await opOf(c.restoreBackupFiles({ ...ref, paths: ["/root/a"], into: "/restore-here" }));
    assert.equal(into.state, "succeeded", JSON.stringify(into.error));
    assert.equal(await sh("b1", `cat ${outside}/a`), "v1\n");
    assert.deepEqual(fs.readdirSync(outside), ["secret"]);
    assert.equal(fs.readFileSync(path.join(outside, "secret"), "utf8"), "host secret\n");
    assert.equal((await c.getVserver({ name: "b1" })).initPid, init, "the server kept running");
    await rejectsWith(c.restoreBackupFiles({ ...ref, paths: ["/root/../etc"] }), "BAD_REQUEST");
    const missing = await opOf(c.restoreBackupFiles({ ...ref, paths: ["/root/nosuch"] }));
    assert.equal(missing.state, "failed");
    assert.equal(missing.error?.code, "NOT_FOUND");
  });

  it("restores the whole server: the old root kept until the restored one runs; special files come back as they were", async () => {
    const c = agent!.client;
    await sh("b1", "echo v3 > /root/a; rm -f /root/fifo /root/nullish /root/sparse; echo junk > /root/new");
    const op = await opOf(c.restoreBackup({ target: "local", name: "b1", owner, snapshot: first }));
    assert.equal(op.state, "succeeded", JSON.stringify(op.error));
    assert.ok(op.lines.some((l) => /old one is kept until/.test(l.text)));
    assert.equal((await c.getVserver({ name: "b1" })).state, "running");
    assert.equal(await sh("b1", "cat /root/a; test -e /root/new || echo no-new; test -p /root/fifo && echo fifo; test -c /root/nullish && echo chr"), "v1\nno-new\nfifo\nchr\n");
    assert.equal((await sh("b1", "readlink /root/hostlink")).trim(), `${outside}/secret`);
    const root = rootOf("b1");
    const st = fs.statSync(path.join(root, "root/sparse"));
    assert.equal(st.size, 256 << 20);
    assert.ok(st.blocks * 512 < 16 << 20, `sparse file restored dense: ${st.blocks} blocks`);
    assert.equal(fs.readFileSync(path.join(outside, "secret"), "utf8"), "host secret\n");
    assert.ok(!fs.existsSync(path.join(host.paths.rootDir, ".reinstall", "b1")), "the old root is removed after the start");
  });

  it("keeps what a retention says, and builds a new server from a snapshot", async () => {
    const c = agent!.client;
    const pruned = await c.pruneBackups({ target: "local", name: "b1", owner, retention: { keepLast: 1, keepDaily: 0, keepWeekly: 0, keepMonthly: 0 } });
    assert.deepEqual(pruned, { removed: [first], kept: 1 });
    const op = await opOf(c.restoreBackupAsNew({ target: "local", name: "b1", owner, snapshot: second, create: { name: "b2", hostname: "b2", domainname: "", limits: {}, interfaces: [], nameservers: [], startOnBoot: false, start: true, userNamespace: true } }));
    assert.equal(op.state, "succeeded", JSON.stringify(op.error));
    assert.equal(await sh("b2", "cat /root/a; hostname"), "v2\nb2\n");
    await rejectsWith(c.restoreBackupAsNew({ target: "local", name: "b1", owner, snapshot: second, create: { name: "b2", hostname: "b2", domainname: "", limits: {}, interfaces: [], nameservers: [], startOnBoot: false, start: false, userNamespace: true } }), "CONFLICT");
  });

  it("a running loop-image server: backed up from a reflink of its frozen image, and restored whole into a second image", async () => {
    const c = agent!.client;
    const built = await opOf(c.createVserver({ name: "l1", hostname: "l1", method: "busybox", limits: { diskBytes: 64 << 20 }, startOnBoot: false, start: true }));
    assert.equal(built.state, "succeeded", JSON.stringify(built.error));
    await sh("l1", "echo loop-v1 > /root/l; sync");
    const op = await opOf(c.createBackup({ name: "l1", owner: "srv_l1", target: "local" }));
    assert.equal(op.state, "succeeded", JSON.stringify(op.error));
    const [s] = (await c.listBackups({ target: "local", name: "l1", owner: "srv_l1" })).snapshots;
    assert.equal(s?.consistency, "reflink");
    assert.ok((s?.freezeMs ?? 0) > 0);
    assert.equal((await sh("l1", "echo alive")).trim(), "alive");
    assert.ok(!fs.existsSync(path.join(host.paths.rootDir, ".backup", "l1")), "the view and its image copy are gone");
    const entries = (await c.browseBackup({ target: "local", name: "l1", owner: "srv_l1", snapshot: s!.id, path: "/root" })).entries;
    assert.equal(entries.find((e) => e.name === "l")?.size, 8);
    await sh("l1", "echo loop-v2 > /root/l");
    const back = await opOf(c.restoreBackup({ target: "local", name: "l1", owner: "srv_l1", snapshot: s!.id }));
    assert.equal(back.state, "succeeded", JSON.stringify(back.error));
    assert.equal(await sh("l1", "cat /root/l"), "loop-v1\n");
    await c.stopVserver({ name: "l1" });
    await c.deleteVserver({ name: "l1" });
  });

  it("checks the repository and reports the target", async () => {
    const c = agent!.client;
    const op = await opOf(c.checkBackupTarget({ id: "local" }));
    assert.equal(op.state, "succeeded", JSON.stringify(op.error));
    const { targets, sshPublicKey } = await c.listBackupTargets({});
    assert.match(sshPublicKey, /^ssh-ed25519 /);
    const local = targets.find((t) => t.id === "local")!;
    assert.equal(local.initialized, true);
    const all = (await c.listBackups({ target: "local" })).snapshots;
    assert.deepEqual(new Set(all.map((x) => x.name)), new Set(["b1", "l1"]));
    assert.equal(local.snapshots, all.length);
    assert.ok((local.repositoryBytes ?? 0) > 0);
    assert.equal(local.lastCheck?.ok, true);
    assert.equal(local.problem, null);
  });

  it("kill -9 of the agent mid-backup: the job ends failed with the reason, the server runs, the repository checks clean", async () => {
    const c = agent!.client;
    const root = rootOf("b1");
    execFileSync("dd", ["if=/dev/urandom", `of=${path.join(root, "root/big")}`, "bs=1M", "count=300", "status=none"]);
    const { operationId } = await c.createBackup({ name: "b1", owner, target: "local" });
    // Wait until restic runs for this host, then kill the agent with SIGKILL.
    let restic = 0;
    for (let i = 0; i < 400 && !restic; i++) {
      restic = findProcess((cmd, env) => cmd.startsWith("restic\0") && cmd.includes("\0backup\0") && env.includes(`RESTIC_CACHE_DIR=${host.paths.confDir}`));
      if (!restic) await sleep(25);
    }
    assert.ok(restic > 0, "restic backup seen running");
    const agentPid = findProcess((cmd, env) => cmd.includes("agent/dist/agent.mjs") && env.includes(`VSERVER_RUNDIR=${host.paths.runDir}`));
    assert.ok(agentPid > 0);
    process.kill(agentPid, "SIGKILL");
    for (let i = 0; i < 200 && (alive(restic) || alive(agentPid)); i++) await sleep(25);
    assert.ok(!alive(restic), "restic died with the agent");
    agent = await startTestAgent(host);
    const op = await agent.client.getOperation({ id: operationId });
    assert.equal(op.state, "failed");
    assert.match(op.error?.message ?? "", /interrupted/);
    assert.equal((await agent.client.getVserver({ name: "b1" })).state, "running");
    assert.equal((await sh("b1", "echo alive")).trim(), "alive");
    assert.equal((await agent.client.listBackups({ target: "local", name: "b1", owner })).snapshots.length, 1, "no half-written snapshot");
    const check = await opOf(agent.client.checkBackupTarget({ id: "local" }));
    assert.equal(check.state, "succeeded", JSON.stringify(check.error));
    const again = await opOf(agent.client.createBackup({ name: "b1", owner, target: "local" }));
    assert.equal(again.state, "succeeded", JSON.stringify(again.error));
  });

  it("CLI: vserver NAME backup, backups, restore --path (into the server) and --target (a host dir)", async () => {
    const cli = (...args: string[]) => spawnSync(binPath("vserver"), args, { env: host.env, encoding: "utf8", timeout: 300_000 });
    await sh("b1", "echo cli-v1 > /root/c");
    const made = cli("b1", "backup", "--note", "by hand");
    assert.equal(made.status, 0, made.stderr);
    const id = /^([0-9a-f]{8}) reflink \(frozen \d+ ms\)/.exec(made.stdout)?.[1];
    assert.ok(id, made.stdout);
    const listed = cli("b1", "backups");
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^${id} .* ${owner} `, "m"), "owned like the server's earlier snapshots");
    await sh("b1", "echo changed > /root/c");
    const back = cli("b1", "restore", id!, "--path", "/root/c");
    assert.equal(back.status, 0, back.stderr);
    assert.equal(await sh("b1", "cat /root/c"), "cli-v1\n");
    const hostDir = path.join(outside, "..", `${path.basename(outside)}-cli`);
    try {
      const out = cli("b1", "restore", id!, "--path", "/root/c", "--target", hostDir);
      assert.equal(out.status, 0, out.stderr);
      assert.equal(fs.readFileSync(path.join(hostDir, "c"), "utf8"), "cli-v1\n");
    } finally {
      fs.rmSync(hostDir, { recursive: true, force: true });
    }
    const nosuch = cli("b1", "restore", "0123abcd", "--path", "/root/c");
    assert.equal(nosuch.status, 5, nosuch.stderr);
    assert.equal(cli("b1", "restore", id!, "--path", "/root/../etc").status, 2);
  });

  it("deleting a server removes the root copy its backups kept", async () => {
    const kept = path.join(host.paths.rootDir, ".backup-kept", "b1");
    assert.ok(fs.existsSync(kept), "b1's last backup kept its copy");
    await agent!.client.stopVserver({ name: "b1" });
    await agent!.client.deleteVserver({ name: "b1" });
    assert.ok(!fs.existsSync(kept) && !fs.existsSync(`${kept}.source`));
  });
});

async function buffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

