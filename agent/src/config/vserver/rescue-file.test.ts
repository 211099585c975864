/** The host's rescue record: written and read back, removed, and a broken one named with its file. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { AgentFailure } from "../../errors";
import { readRescueFile, removeRescueFile, rescueFile, writeRescueFile } from "./rescue-file";

const base = fs.mkdtempSync(path.join(os.tmpdir(), "vst-rescue-file-"));
const paths = { confDir: path.join(base, "etc"), rootDir: path.join(base, "root"), runDir: path.join(base, "run") };
fs.mkdirSync(path.join(paths.confDir, "web1"), { recursive: true });

describe("the rescue record (CONFDIR/NAME/rescue)", () => {
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  it("reads back what was written, in util-vserver's line format, and is gone after removal", () => {
    assert.equal(readRescueFile(paths, "web1"), null);
    writeRescueFile(paths, "web1", { until: "2026-12-07T04:00:00.000Z", by: "panel" });
    assert.equal(fs.readFileSync(rescueFile(paths, "web1"), "utf8"), "until 2026-12-07T04:00:00.000Z\nby panel\n");
    assert.deepEqual(readRescueFile(paths, "web1"), { until: "2026-12-07T04:00:00.000Z", by: "panel" });
    removeRescueFile(paths, "web1");
    assert.equal(readRescueFile(paths, "web1"), null);
  });

  it("refuses a record without a valid time or with an unknown line, naming the file", () => {
    for (const text of ["until soon\n", "by panel\n", "until 2026-12-07T04:00:00Z\nnote x\n", "until 2026-12-07T04:00:00Z\nby someone\n"]) {
      fs.writeFileSync(rescueFile(paths, "web1"), text);
      assert.throws(
        () => readRescueFile(paths, "web1"),
        (e: unknown) => e instanceof AgentFailure && e.message.includes(rescueFile(paths, "web1")),
        text,
      );
    }
    removeRescueFile(paths, "web1");
  });
});
