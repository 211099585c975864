import { test } from "node:test";
import assert from "node:assert/strict";
import { formatCpuList, parseCpuList, parseFlatKeyed, parseLimit, parseNestedKeyed } from "./parse-files";

test("flat keyed files (v1 memory.oom_control, cpu.stat)", () => {
  const oom = parseFlatKeyed("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
  assert.equal(oom.get("oom_kill"), 2);
  const stat = parseFlatKeyed("nr_periods 0\nnr_throttled 0\nthrottled_time 0\nnr_bursts 0\nburst_time 0\n");
  assert.deepEqual([...stat.keys()], ["nr_periods", "nr_throttled", "throttled_time", "nr_bursts", "burst_time"]);
});

test("nested keyed files (io.stat, io.max) keep max as null", () => {
  const parsed = parseNestedKeyed("8:16 rbps=2097152 wbps=max riops=max wiops=120\n\n");
  assert.deepEqual([...parsed.get("8:16")!], [
    ["rbps", 2097152],
    ["wbps", null],
    ["riops", null],
    ["wiops", 120],
  ]);
});

test("v1 and v2 spellings of unlimited", () => {
  assert.equal(parseLimit("max\n", "x"), null);
  assert.equal(parseLimit("9223372036854771712\n", "x"), null); // v1 memory.limit_in_bytes
  assert.equal(parseLimit("-1", "x"), null); // v1 cfs_quota_us
  assert.equal(parseLimit("67108864\n", "x"), 67108864);
  assert.throws(() => parseLimit("lots", "memory.max"), /memory.max/);
});

test("cpu lists", () => {
  assert.deepEqual(parseCpuList("0-3,8,10-11\n"), [0, 1, 2, 3, 8, 10, 11]);
  assert.deepEqual(parseCpuList(""), []);
  assert.equal(parseCpuList("3-1"), null);
  assert.equal(parseCpuList("a"), null);
  assert.equal(formatCpuList([11, 0, 1, 2, 3, 8, 10]), "0-3,8,10-11");
});
