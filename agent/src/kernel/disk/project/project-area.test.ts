/**
 * The project-quota backend against the fake quota layer (kernel semantics, see
 * testing/fake-quota.ts): this kernel cannot enable project quotas, so the limit logic
 * is tested here and the project-id ioctls for real in project-id.root.test.ts.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { constants as C, mknodat } from "@/native";
import { AgentFailure } from "../../../errors";
import { createDiskArea, ensureMounted, readDiskUsage, releaseDiskArea, setDiskLimit } from "../index";
import { FakeQuota } from "../testing/fake-quota";
import type { DiskEnv } from "../types";
import { PROJID_FIRST } from "./allocate-projid";

const M = 1024 * 1024;
const failsWith = (code: string, field?: string) => (e: unknown) =>
  e instanceof AgentFailure && e.code === code && (field === undefined || e.field === field);
const edquot = (e: unknown) => (e as NodeJS.ErrnoException).code === "EDQUOT";

let base = "";
let quota: FakeQuota;
let env: Partial<DiskEnv>;
let projectsFile = "";

beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "vst-prj-"));
  const paths = { confDir: `${base}/etc`, rootDir: `${base}/root`, runDir: `${base}/run` };
  for (const d of Object.values(paths)) fs.mkdirSync(d);
  projectsFile = `${base}/projects`;
  fs.writeFileSync(projectsFile, "");
  quota = new FakeQuota();
  env = { paths, quota };
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

const create = (name: string, bytes: number | string, inodes?: number, extra: object = {}) =>
  createDiskArea(name, { bytes, inodes }, { mode: "project", env, projectsFile, ...extra });
const rootOf = (name: string) => path.join(base, "root", name);
const record = (name: string, file: string) => fs.readFileSync(path.join(base, "etc", name, "dlimits", file), "utf8");

describe("create", () => {
  it("tags the empty root with a fresh id and PROJINHERIT, sets hard limits in KiB, records util-vserver style", async () => {
    const area = await create("web1", "64M", 5000);
    assert.equal(area.mode, "project");
    assert.equal(area.projid, PROJID_FIRST);
    const attrs = quota.attrsOf(rootOf("web1"));
    assert.equal(attrs.projid, PROJID_FIRST);
    assert.ok(attrs.xflags & C.FS_XFLAG_PROJINHERIT);
    assert.deepEqual(quota.setCalls.at(-1), { projid: PROJID_FIRST, update: { bhardlimit: 65536, bsoftlimit: 0, ihardlimit: 5000, isoftlimit: 0 } });
    assert.equal(record("web1", "mode"), "project\n");
    assert.equal(record("web1", "projid"), `${PROJID_FIRST}\n`);
    assert.equal(record("web1", "space_total"), "65536\n");
    assert.equal(record("web1", "inodes_total"), "5000\n");
    assert.equal(record("web1", "directory"), `${rootOf("web1")}\n`);
  });

  it("gives every server its own id, skipping ids still charged on the filesystem and ids in the projects file", async () => {
    quota.charge(PROJID_FIRST, 4096); // files of a server deleted without its tree
    fs.writeFileSync(projectsFile, `# admin's own\n${PROJID_FIRST + 1}:/srv/data\n`);
    const a = await create("a1", "32M");
    const b = await create("b1", "32M");
    assert.equal(a.projid, PROJID_FIRST + 2);
    assert.equal(b.projid, PROJID_FIRST + 3);
  });

  it("treats XFS's ENOENT for a never-used id as free", async () => {
    quota.xfsStyle = true;
    assert.equal((await create("x1", "32M")).projid, PROJID_FIRST);
  });

  it("refuses when project quota is off, leaving nothing", async () => {
    quota.on = false;
    await assert.rejects(create("off1", "32M"), failsWith("UNSUPPORTED"));
    assert.equal(fs.existsSync(rootOf("off1")), false);
    assert.equal(fs.existsSync(path.join(base, "etc", "off1")), false);
  });

  it("undoes every step when setting the limits fails half-way", async () => {
    quota.failOn("set");
    await assert.rejects(create("half1", "32M"), (e: unknown) => (e as NodeJS.ErrnoException).code === "EIO");
    assert.equal(fs.existsSync(rootOf("half1")), false, "root made by the create is gone");
    assert.equal(fs.existsSync(path.join(base, "etc", "half1")), false, "no record");
    // The id is free again for the next server.
    assert.equal((await create("next1", "32M")).projid, PROJID_FIRST);
  });

  it("untags an existing root when a later step fails, and keeps the root", async () => {
    fs.mkdirSync(rootOf("kept1"));
    quota.failOn("set");
    await assert.rejects(create("kept1", "32M"));
    assert.ok(fs.existsSync(rootOf("kept1")));
    assert.equal(quota.attrsOf(rootOf("kept1")).projid, 0);
    assert.equal(quota.attrsOf(rootOf("kept1")).xflags & C.FS_XFLAG_PROJINHERIT, 0);
  });

  it("refuses a populated root unless asked to adopt it; adopting tags dirs and files, not specials", async () => {
    const root = rootOf("old1");
    fs.mkdirSync(path.join(root, "etc", "deep"), { recursive: true });
    fs.writeFileSync(path.join(root, "etc", "passwd"), "root:x:0:0::/root:/bin/sh\n");
    fs.symlinkSync("/etc/shadow", path.join(root, "etc", "link"));
    mknodat(C.AT_FDCWD, path.join(root, "fifo"), C.S_IFIFO | 0o600);
    await assert.rejects(create("old1", "32M"), failsWith("CONFLICT"));
    assert.equal(quota.attrsOf(root).projid, 0, "nothing tagged by the refusal");
    const area = await create("old1", "32M", undefined, { adoptExisting: true });
    assert.deepEqual(area.adopted, { tagged: 4, skippedSpecial: 2, skippedMounts: 0, skippedDeep: 0, failed: 0 });
    for (const p of ["", "etc", "etc/deep", "etc/passwd"]) assert.equal(quota.attrsOf(path.join(root, p)).projid, area.projid, p);
    assert.ok(quota.attrsOf(path.join(root, "etc/deep")).xflags & C.FS_XFLAG_PROJINHERIT);
    assert.equal(quota.attrsOf(path.join(root, "etc/link")).projid, 0, "symlink not opened");
  });

  it("refuses a second area for the same server", async () => {
    await create("dup1", "32M");
    await assert.rejects(create("dup1", "32M"), failsWith("CONFLICT"));
  });
});

describe("limits at work", () => {
  it("a guest's writes inherit the id; EDQUOT above the hard limit; usage is what the kernel charges", async () => {
    const area = await create("g1", "64M", 4096);
    const root = rootOf("g1");
    const etc = quota.guestMkdir(root, "etc");
    quota.guestWrite(etc, "big", 60 * M);
    assert.equal(quota.attrsOf(path.join(etc, "big")).projid, area.projid);
    // The root's own inode and block moved to the project when it was tagged.
    const sofar = quota.dquotOf(area.projid!).curspace;
    assert.ok(sofar > 60 * M, "root and etc are charged too");
    quota.guestWrite(root, "fits-exactly", 64 * M - sofar); // reaching the limit is allowed
    assert.throws(() => quota.guestWrite(root, "one-more", 4096), edquot);
    const u = await readDiskUsage("g1", { env });
    assert.equal(u.mode, "project");
    assert.equal(u.bytesUsed, 64 * M);
    assert.equal(u.bytesLimit, 64 * M);
    assert.equal(u.bytesAvailable, 0);
    assert.equal(u.inodesUsed, 4, "root, etc, big, fits-exactly");
    assert.equal(u.inodesLimit, 4096);
  });

  it("a writer with CAP_SYS_RESOURCE passes the hard limit (why guests must not keep it)", async () => {
    const area = await create("cap1", "16M");
    quota.guestWrite(rootOf("cap1"), "a", 15 * M);
    assert.throws(() => quota.guestWrite(rootOf("cap1"), "b", 2 * M), edquot);
    quota.guestWrite(rootOf("cap1"), "b", 2 * M, true);
    assert.ok(quota.dquotOf(area.projid!).curspace > 16 * M);
  });

  it("raises live, then refuses a limit below usage without changing anything", async () => {
    await create("live1", "32M", 2000);
    quota.guestWrite(rootOf("live1"), "a", 30 * M);
    assert.throws(() => quota.guestWrite(rootOf("live1"), "b", 8 * M), edquot);
    const raised = await setDiskLimit("live1", { bytes: "64M" }, { running: true, env });
    assert.equal(raised.bytesLimit, 64 * M);
    quota.guestWrite(rootOf("live1"), "b", 8 * M);
    const calls = quota.setCalls.length;
    await assert.rejects(setDiskLimit("live1", { bytes: "32M" }, { running: true, env }), failsWith("LIMIT_EXCEEDED", "bytes"));
    assert.equal(quota.setCalls.length, calls, "no Q_SETQUOTA");
    assert.equal(record("live1", "space_total"), "65536\n");
    const lowered = await setDiskLimit("live1", { bytes: "40M" }, { running: true, env });
    assert.equal(lowered.bytesLimit, 40 * M);
  });

  it("enforces and changes the inode limit live", async () => {
    await create("ino1", "32M", 2048);
    const root = rootOf("ino1");
    for (let i = 0; i < 2047; i++) quota.guestWrite(root, `f${i}`, 0); // the root itself is the 2048th
    assert.throws(() => quota.guestWrite(root, "more", 0), edquot);
    await assert.rejects(setDiskLimit("ino1", { inodes: 2000 }, { running: true, env }), failsWith("LIMIT_EXCEEDED", "inodes"));
    const u = await setDiskLimit("ino1", { inodes: 4096 }, { running: true, env });
    assert.equal(u.inodesLimit, 4096);
    quota.guestWrite(root, "more", 0);
  });

  it("a failed Q_SETQUOTA leaves the record at the old limits", async () => {
    await create("fail1", "32M");
    quota.failOn("set");
    await assert.rejects(setDiskLimit("fail1", { bytes: "64M" }, { running: true, env }), (e: unknown) => (e as NodeJS.ErrnoException).code === "EIO");
    assert.equal(record("fail1", "space_total"), "32768\n");
    assert.equal((await readDiskUsage("fail1", { env })).bytesLimit, 32 * M);
  });

  it("validates changes, naming the field", async () => {
    await create("val1", "32M");
    await assert.rejects(setDiskLimit("val1", {}, { running: true, env }), failsWith("BAD_REQUEST", "limits"));
    await assert.rejects(setDiskLimit("val1", { bytes: "1M" }, { running: true, env }), failsWith("BAD_REQUEST", "bytes"));
    await assert.rejects(setDiskLimit("val1", { inodes: -5 }, { running: true, env }), failsWith("BAD_REQUEST", "inodes"));
    await assert.rejects(setDiskLimit("nosuch", { bytes: "64M" }, { running: true, env }), failsWith("NOT_FOUND"));
  });
});

describe("ensure and release", () => {
  it("ensureMounted re-tags a root whose PROJINHERIT was cleared, and restores lost limits", async () => {
    const area = await create("e1", "32M");
    assert.deepEqual(await ensureMounted("e1", { env }), { mode: "project", action: "none" });
    const fd = fs.openSync(rootOf("e1"), "r");
    try {
      quota.setFsxattr(fd, { projid: 0, xflags: 0 }); // what a guest root could do without the seccomp rule
    } finally {
      fs.closeSync(fd);
    }
    assert.deepEqual(await ensureMounted("e1", { env }), { mode: "project", action: "repaired" });
    assert.equal(quota.attrsOf(rootOf("e1")).projid, area.projid);
    quota.set(0, area.projid!, { bhardlimit: 0, bsoftlimit: 0, ihardlimit: 0, isoftlimit: 0 });
    assert.deepEqual(await ensureMounted("e1", { env }), { mode: "project", action: "repaired" });
    assert.equal(quota.dquotOf(area.projid!).bhardlimit, 32768);
  });

  it("ensureMounted refuses when quota went off (the limit would not hold)", async () => {
    await create("e2", "32M");
    quota.on = false;
    await assert.rejects(ensureMounted("e2", { env }), failsWith("UNSUPPORTED"));
  });

  it("release lifts the limits and forgets the id; twice is fine; refused while running", async () => {
    const area = await create("r1", "32M");
    quota.guestWrite(rootOf("r1"), "a", M);
    await assert.rejects(releaseDiskArea("r1", { running: true, env }), failsWith("WRONG_STATE"));
    assert.deepEqual(await releaseDiskArea("r1", { running: false, env }), { mode: "project", rootKept: false });
    assert.equal(quota.dquotOf(area.projid!).bhardlimit, 0);
    assert.equal(fs.existsSync(path.join(base, "etc", "r1", "dlimits")), false);
    assert.deepEqual(await releaseDiskArea("r1", { running: false, env }), { mode: null, rootKept: false });
    // Its files still carry the id and are charged: the next server gets another one.
    assert.notEqual((await create("r2", "32M")).projid, area.projid);
  });
});
