/**
 * Loop-mode creates that fail half-way leave nothing (no image, loop device, mount,
 * root or record), refusals change nothing, and leftovers of an interrupted create or a
 * stray loop device are listed and removed by reconcile.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { AgentFailure } from "../../errors";
import { formatSize } from "../units";
import { createDiskArea, listDiskAreas, reconcileDiskAreas } from "./index";
import { hostAvailable } from "./loop/create-loop-area";
import { leftovers, makeDiskTestHost, removeDiskTestHost, type DiskTestHost } from "./testing/loop-fixture";

const failsWith = (code: string, field?: string) => (e: unknown) =>
  e instanceof AgentFailure && e.code === code && (field === undefined || e.field === field);

describe("loop-mode failures and leftovers", () => {
  let host: DiskTestHost | undefined;
  let env: { paths: DiskTestHost["paths"] };
  const rootOf = (n: string) => path.join(host!.paths.rootDir, n);
  const imageOf = (n: string) => path.join(host!.paths.rootDir, ".images", `${n}.img`);
  const nothingOf = (n: string) => {
    assert.deepEqual(leftovers(host!.base), [], "no mount, no loop device");
    assert.equal(fs.existsSync(imageOf(n)), false, "no image");
    assert.equal(fs.existsSync(rootOf(n)), false, "no root");
    assert.equal(fs.existsSync(path.join(host!.paths.confDir, n, "dlimits")), false, "no record");
  };
  before(() => {
    host = makeDiskTestHost("loopfail");
    env = { paths: host.paths };
  });
  after(async () => {
    await removeDiskTestHost(host);
    if (host) assert.deepEqual(leftovers(host.base), []);
  });

  it("refuses bad input naming the field, creating nothing", async () => {
    await assert.rejects(createDiskArea("vst-bad", { bytes: "8M" }, { env, mode: "loop" }), failsWith("BAD_REQUEST", "bytes"));
    await assert.rejects(createDiskArea("vst-bad", { bytes: "64M", inodes: 0 }, { env, mode: "loop" }), failsWith("BAD_REQUEST", "inodes"));
    await assert.rejects(createDiskArea("vst-bad", { bytes: "16M", inodes: 20000 }, { env, mode: "loop" }), failsWith("BAD_REQUEST", "inodes"));
    await assert.rejects(createDiskArea("../vst", { bytes: "64M" }, { env, mode: "loop" }), failsWith("BAD_REQUEST", "name"));
    nothingOf("vst-bad");
  });

  it("refuses an image larger than the host's free space unless overcommit is allowed", async () => {
    const tooBig = Math.ceil((hostAvailable(host!.paths.rootDir) + 1024 ** 3) / 4096) * 4096;
    await assert.rejects(createDiskArea("vst-big", { bytes: tooBig }, { env, mode: "loop" }), (e: unknown) =>
      failsWith("LIMIT_EXCEEDED", "bytes")(e) && (e as Error).message.includes(formatSize(tooBig)),
    );
    nothingOf("vst-big");
  });

  it("an impossible size (past the host filesystem's largest file) fails half-way and leaves nothing", { skip: fs.statfsSync("/tmp").type === 0xef53 ? false : "machine limit: needs /tmp on ext4 (16 TiB file limit)" }, async () => {
    await assert.rejects(createDiskArea("vst-huge", { bytes: "17T" }, { env, mode: "loop", overcommit: true }), (e: unknown) =>
      failsWith("KERNEL")(e) && /larger than the host filesystem allows/.test((e as Error).message),
    );
    nothingOf("vst-huge");
  });

  it("a failure after mkfs and mount (the record cannot be written) unmounts, detaches and deletes", async () => {
    fs.writeFileSync(path.join(host!.paths.confDir, "vst-late"), "a file where the server's config dir belongs");
    await assert.rejects(createDiskArea("vst-late", { bytes: "32M" }, { env, mode: "loop" }), failsWith("CONFLICT"));
    nothingOf("vst-late");
    fs.rmSync(path.join(host!.paths.confDir, "vst-late"));
  });

  it("refuses a populated root and leaves it as it was", async () => {
    fs.mkdirSync(rootOf("vst-full"));
    fs.writeFileSync(path.join(rootOf("vst-full"), "keep"), "data");
    await assert.rejects(createDiskArea("vst-full", { bytes: "32M" }, { env, mode: "loop" }), failsWith("CONFLICT"));
    assert.equal(fs.readFileSync(path.join(rootOf("vst-full"), "keep"), "utf8"), "data");
    assert.equal(fs.existsSync(imageOf("vst-full")), false);
    fs.rmSync(rootOf("vst-full"), { recursive: true });
  });

  it("lists the leftovers of a create cut short and a stray loop device, and reconcile removes them", async () => {
    await createDiskArea("vst-crash", { bytes: "32M" }, { env, mode: "loop" });
    // A crash before the commit mark: the record has no `mode`.
    fs.rmSync(path.join(host!.paths.confDir, "vst-crash", "dlimits", "mode"));
    // And an image someone attached by hand (no autoclear), nothing mounts.
    fs.mkdirSync(path.dirname(imageOf("vst-stray")), { recursive: true });
    execFileSync("truncate", ["-s", "16M", imageOf("vst-stray")]);
    const dev = execFileSync("losetup", ["-f", "--show", imageOf("vst-stray")], { encoding: "utf8" }).trim();
    const report = listDiskAreas({ env });
    assert.deepEqual(report.areas, []);
    assert.deepEqual(
      report.orphans.map((o) => `${o.kind} ${o.name ?? ""} ${o.path}`).sort(),
      [
        `image vst-crash ${imageOf("vst-crash")}`,
        `image vst-stray ${imageOf("vst-stray")}`,
        `loop  ${dev}`,
        `record vst-crash ${path.join(host!.paths.confDir, "vst-crash", "dlimits")}`,
      ].sort(),
    );
    const dry = await reconcileDiskAreas({ env });
    assert.deepEqual(dry.removed, [], "nothing removed unless asked");
    assert.ok(fs.existsSync(imageOf("vst-crash")));
    const done = await reconcileDiskAreas({ env, removeOrphans: true });
    assert.deepEqual(done.errors, []);
    nothingOf("vst-crash");
    assert.equal(fs.existsSync(imageOf("vst-stray")), false);
    assert.deepEqual(listDiskAreas({ env }), { areas: [], orphans: [] });
  });
});
