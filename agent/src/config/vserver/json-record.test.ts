/** The agent's own JSON records: parsed when right, null when missing, broken or of another shape. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { readJsonRecord } from "./value-files";

test("a record reads back; missing, broken and wrong-shaped files give null", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-json-record-"));
  try {
    const schema = z.object({ pid: z.number().int() });
    const file = path.join(dir, "state.json");
    assert.equal(readJsonRecord(file, schema), null);
    fs.writeFileSync(file, '{"pid": 42}');
    assert.deepEqual(readJsonRecord(file, schema), { pid: 42 });
    fs.writeFileSync(file, '{"pid": ');
    assert.equal(readJsonRecord(file, schema), null);
    fs.writeFileSync(file, '{"pid": "42"}');
    assert.equal(readJsonRecord(file, schema), null);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
