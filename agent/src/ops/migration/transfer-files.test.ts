/**
 * Staged transfer files: a transfer starting while another is writing its archive (two
 * servers of one host moving at once) leaves the other's staged file and its temporary
 * sibling (and the body file of a round of changes) alone, and removes only leftovers
 * no transfer uses. The bug this guards: the
 * second transfer removed the first one's `.out-….tmp-…` while it was being written.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { HostPaths } from "../../config/paths";
import { bodyFileOf, transferFile, withStagedFile } from "./transfer-files";

test("a second transfer keeps the first one's files (also the one being written) and removes leftovers", async () => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-transfer-files-"));
  try {
    const paths = { runDir } as HostPaths;
    const first = transferFile(paths, "out", "aaaa", true);
    const second = transferFile(paths, "out", "bbbb", true);
    const leftover = transferFile(paths, "in", "cccc", true);
    fs.writeFileSync(leftover, "left by an earlier failure");
    const firstTmp = path.join(path.dirname(first), `.${path.basename(first)}.tmp-1-2`);
    // A round of changes writes its body first, through a temporary file of its own.
    const firstBodyTmp = path.join(path.dirname(first), `.${path.basename(bodyFileOf(first))}.tmp-1-2`);
    let release!: () => void;
    const writing = new Promise<void>((r) => (release = r));
    const firstRun = withStagedFile(first, async () => {
      fs.writeFileSync(firstTmp, "half an archive");
      fs.writeFileSync(firstBodyTmp, "half a body");
      await writing;
      fs.renameSync(firstTmp, first);
      fs.rmSync(firstBodyTmp);
      return fs.readFileSync(first, "utf8");
    });
    await new Promise((r) => setImmediate(r));
    const seen = await withStagedFile(second, async () => fs.readdirSync(path.dirname(second)).sort());
    assert.deepEqual(seen, [path.basename(firstTmp), path.basename(firstBodyTmp)].sort(), "the first transfer's temporary files are kept; the leftover is gone");
    release();
    assert.equal(await firstRun, "half an archive", "the first transfer finished its file");
    assert.deepEqual(fs.readdirSync(path.dirname(first)), [], "each transfer removed its own file");
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
});
