/**
 * The sampler's counter reader on a v2 tree made of real kernel output (fixtures/v2) and
 * on v1 files: every counter is read from the file that holds it, and a group without a
 * controller gives null, not zero.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { keyedValue, readGroupCounters, sumV1Blkio, sumV2IoStat } from "./sample-counters";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

test("v2: cpu.stat, memory.*, pids.current and io.stat of a real group", () => {
  const dir = path.join(import.meta.dirname, "fixtures", "v2");
  const c = readGroupCounters({ version: "v2", cpu: dir, cpuacct: dir, memory: dir, pids: dir, io: dir })!;
  assert.equal(c.cpuUsec, 8473629105);
  assert.equal(c.cpuThrottledUsec, 930485112);
  assert.equal(c.memoryBytes, Number(fs.readFileSync(path.join(dir, "memory.current"), "utf8")));
  assert.equal(c.memoryPeakBytes, Number(fs.readFileSync(path.join(dir, "memory.peak"), "utf8")));
  assert.equal(c.oomKills, 3);
  assert.equal(c.ioReadBytes, 1784516608 + 2269184);
  assert.equal(c.ioWriteBytes, 9338793984);
  assert.equal(c.ioReadOps, 43311 + 71);
  assert.equal(c.ioWriteOps, 482017);
});

test("v1: cpuacct, cpu, memory (with memsw), pids and blkio files", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-counters-"));
  dirs.push(dir);
  const files: Record<string, string> = {
    "cpuacct.usage": "5000000123\n",
    "cpu.stat": "nr_periods 10\nnr_throttled 2\nthrottled_time 7000000\n",
    "memory.usage_in_bytes": "1048576\n",
    "memory.max_usage_in_bytes": "2097152\n",
    "memory.memsw.usage_in_bytes": "1572864\n",
    "memory.oom_control": "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n",
    "pids.current": "7\n",
    "blkio.throttle.io_service_bytes_recursive": "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Total 12288\n8:16 Read 100\nTotal 12388\n",
    "blkio.throttle.io_serviced_recursive": "8:0 Read 1\n8:0 Write 2\nTotal 3\n",
  };
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  const c = readGroupCounters({ version: "v1", cpu: dir, cpuacct: dir, memory: dir, pids: dir, io: dir })!;
  assert.deepEqual(c, {
    cpuUsec: 5000000,
    cpuThrottledUsec: 7000,
    memoryBytes: 1048576,
    memoryPeakBytes: 2097152,
    swapBytes: 524288,
    tasks: 7,
    ioReadBytes: 4196,
    ioWriteBytes: 8192,
    ioReadOps: 1,
    ioWriteOps: 2,
    oomKills: 2,
  });
});

test("a missing controller is null; a group that is gone is null as a whole", () => {
  const dir = path.join(import.meta.dirname, "fixtures", "v2");
  const c = readGroupCounters({ version: "v2", cpu: dir, cpuacct: dir, memory: null, pids: null, io: null })!;
  assert.equal(c.memoryBytes, null);
  assert.equal(c.ioReadBytes, null);
  assert.equal(readGroupCounters({ version: "v2", cpu: "/nonexistent", cpuacct: null, memory: "/nonexistent", pids: null, io: null }), null);
});

test("keyed values and sums", () => {
  assert.equal(keyedValue("a 1\nab 2\nb 3\n", "b"), 3);
  assert.equal(keyedValue("a 1\n", "b"), null);
  assert.deepEqual(sumV1Blkio("8:0 Read 5\n8:0 Write 6\nTotal 11\n"), { read: 5, write: 6 });
  assert.deepEqual(sumV2IoStat(""), { rbytes: 0, wbytes: 0, rios: 0, wios: 0 });
});
