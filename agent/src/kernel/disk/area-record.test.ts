/** The dlimits record and the layout: names, one-value files, the commit mark. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { AgentFailure } from "../../errors";
import { commitAreaRecord, makeRecordDir, readAreaRecord, removeAreaRecord, requireAreaRecord, writeProjid } from "./area-record";
import { areaPaths, checkServerName, nameOfImage } from "./layout";
import { projectsFileIds, recordedProjids } from "./project/allocate-projid";

let base = "";
beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "vst-rec-"));
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));
const paths = () => ({ confDir: `${base}/etc`, rootDir: `${base}/root`, runDir: `${base}/run` });

describe("layout", () => {
  it("accepts util-vserver names and refuses what could escape or collide with our dot entries", () => {
    for (const n of ["web1", "a", "my.server-2_x", "A".repeat(64)]) checkServerName(n);
    for (const n of ["", ".images", "..", "a/b", "a..b", "-x", "A".repeat(65), "a b", "ä"]) {
      assert.throws(() => checkServerName(n), (e: unknown) => e instanceof AgentFailure && e.field === "name", n);
    }
  });

  it("puts the image beside the roots and the record in the server's config dir", () => {
    const p = areaPaths(paths(), "web1");
    assert.equal(p.root, `${base}/root/web1`);
    assert.equal(p.image, `${base}/root/.images/web1.img`);
    assert.equal(p.dlimitsDir, `${base}/etc/web1/dlimits`);
    assert.equal(nameOfImage("web1.img"), "web1");
    assert.equal(nameOfImage(".web1.img"), null);
    assert.equal(nameOfImage("web1.img.tmp"), null);
  });
});

describe("record", () => {
  it("round-trips, with space_total in KiB, and is 'incomplete' until mode is written", () => {
    const p = areaPaths(paths(), "web1");
    assert.deepEqual(readAreaRecord(p), { kind: "none" });
    fs.mkdirSync(paths().confDir);
    assert.deepEqual(makeRecordDir(p), [p.confDir, p.dlimitsDir]);
    writeProjid(p, 10007);
    assert.deepEqual(readAreaRecord(p), { kind: "incomplete" });
    assert.throws(() => requireAreaRecord(p, "web1"), (e: unknown) => e instanceof AgentFailure && e.code === "NOT_FOUND" && /unfinished/.test(e.message));
    commitAreaRecord(p, { mode: "project", directory: p.root, limits: { bytes: 64 * 1024 * 1024, inodes: 5000 }, projid: 10007 });
    assert.equal(fs.readFileSync(path.join(p.dlimitsDir, "space_total"), "utf8"), "65536\n");
    assert.deepEqual(readAreaRecord(p), {
      kind: "complete",
      record: { mode: "project", directory: p.root, limits: { bytes: 64 * 1024 * 1024, inodes: 5000 }, projid: 10007 },
    });
    assert.deepEqual([...recordedProjids(paths().confDir)], [10007]);
    assert.deepEqual(makeRecordDir(p), [], "already there");
    removeAreaRecord(p);
    assert.deepEqual(readAreaRecord(p), { kind: "none" });
    assert.ok(fs.existsSync(p.confDir), "the server's config dir is not ours to remove");
  });

  it("refuses a corrupt value instead of guessing", () => {
    const p = areaPaths(paths(), "bad1");
    fs.mkdirSync(p.dlimitsDir, { recursive: true });
    for (const [f, v] of [["mode", "loop"], ["space_total", "12abc"], ["inodes_total", "10"]]) fs.writeFileSync(path.join(p.dlimitsDir, f!), `${v}\n`);
    assert.throws(() => readAreaRecord(p), (e: unknown) => e instanceof AgentFailure && e.code === "INTERNAL" && /space_total/.test(e.message));
    fs.writeFileSync(path.join(p.dlimitsDir, "mode"), "zfs\n");
    assert.throws(() => readAreaRecord(p), /mode/);
  });

  it("a config entry that is a file is a conflict, not a crash", () => {
    const p = areaPaths(paths(), "file1");
    fs.mkdirSync(paths().confDir);
    fs.writeFileSync(p.confDir, "");
    assert.throws(() => makeRecordDir(p), (e: unknown) => e instanceof AgentFailure && e.code === "CONFLICT");
  });

  it("reads the ids of an xfs_quota projects file", () => {
    const f = path.join(base, "projects");
    fs.writeFileSync(f, "# comment\n10:/srv/a\n 42 : /srv/b\nnonsense\n");
    assert.deepEqual([...projectsFileIds(f)], [10, 42]);
    assert.deepEqual([...projectsFileIds(path.join(base, "none"))], []);
  });
});
