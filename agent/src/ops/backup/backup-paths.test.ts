/**
 * The pure parts of backups: guest paths to restic's paths and back, restic's include
 * patterns matching only the named path, Go file modes as Unix modes, restic's errors
 * mapped to the agent's codes, and a snapshot's wire form from its tags (another host's
 * snapshot without figures shows zeros, unknown tags no freeze time).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resticFailure } from "../../kernel/backup/run-restic";
import { snapshotPath, unixMode } from "./browse-backup";
import { includePattern } from "./restic-stage";
import { ownerTags, rootPathOf, tagValue, toWire, type ResticSnapshot } from "./snapshots";

const snap: ResticSnapshot = {
  id: "a".repeat(64),
  short_id: "aaaaaaaa",
  time: "2026-12-06T10:00:00Z",
  paths: ["/v/.backup/web/host", "/v/.backup/web/root"],
  tags: [...ownerTags("web", "srv_1"), "vs-consistency=reflink", "vs-freeze-ms=12"],
};

describe("backup paths and snapshots", () => {
  it("maps guest paths under the snapshot's root path, / being the root itself", () => {
    assert.equal(snapshotPath("/v/.backup/web/root", "/"), "/v/.backup/web/root");
    assert.equal(snapshotPath("/v/.backup/web/root", "/etc/"), "/v/.backup/web/root/etc");
    assert.equal(snapshotPath("/v/.backup/web/root", "//etc//passwd"), "/v/.backup/web/root/etc/passwd");
    assert.equal(rootPathOf(snap), "/v/.backup/web/root");
  });

  it("escapes restic's pattern characters so a file named with * or [ matches only itself", () => {
    assert.equal(includePattern("/r/a*b?[c]\\d"), "/r/a\\*b\\?\\[c\\]\\\\d");
    assert.equal(includePattern("/r/plain name"), "/r/plain name");
  });

  it("turns Go's FileMode bits into permission and set-id bits", () => {
    assert.equal(unixMode(2147484141), 0o755); // a directory, 0755
    assert.equal(unixMode(420), 0o644);
    assert.equal(unixMode(2 ** 23 + 0o755), 0o4755); // setuid
    assert.equal(unixMode(2 ** 22 + 2 ** 20 + 0o775), 0o3775); // setgid + sticky
  });

  it("maps restic's failures to the agent's codes without echoing more than its last lines", () => {
    assert.equal(resticFailure("backup", 1, null, "Fatal: unable to save snapshot: no space left on device").code, "LIMIT_EXCEEDED");
    assert.equal(resticFailure("snapshots", 1, null, "Fatal: wrong password or no key found").code, "KERNEL");
    assert.equal(resticFailure("snapshots", 1, null, "Fatal: unable to open config file: stat /x/config: no such file or directory\nIs there a repository at the following location?").code, "NOT_FOUND");
    assert.match(resticFailure("init", 1, null, "subprocess ssh: Host key verification failed.").message, /cannot be reached/);
    assert.equal(resticFailure("init", 1, null, "a\nb\nc\nd\ne\nf").message, "restic init failed: c; d; e; f");
  });

  it("reads a snapshot's owner, view and freeze from its tags; figures it has no record of are 0", () => {
    assert.equal(tagValue(snap, "vs-owner"), "srv_1");
    const w = toWire({ confDir: "/nonexistent-vst", rootDir: "/nonexistent-vst", runDir: "/nonexistent-vst" }, "local", snap);
    assert.deepEqual(
      { name: w.name, owner: w.owner, consistency: w.consistency, freezeMs: w.freezeMs, shortId: w.shortId, addedBytes: w.addedBytes, note: w.note },
      { name: "web", owner: "srv_1", consistency: "reflink", freezeMs: 12, shortId: "aaaaaaaa", addedBytes: 0, note: "" },
    );
    const odd = toWire({ confDir: "/nonexistent-vst", rootDir: "/x", runDir: "/x" }, "local", { ...snap, tags: [...ownerTags("web", "srv_1"), "vs-consistency=weird", "vs-freeze-ms=x"] });
    assert.equal(odd.consistency, "none");
    assert.equal(odd.freezeMs, null);
  });
});
