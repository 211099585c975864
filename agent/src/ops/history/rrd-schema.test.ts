/** The round-robin layout (tiers, sources, fixed size) and the FETCH answer's parsing. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseFetch } from "./query-history";
import { createArgs, serverSources, tiers, updateArg, valueText } from "./rrd-schema";

test("tiers: 10 s for an hour, 1 min for two days, 30 min for a month, 6 h for two years", () => {
  assert.deepEqual(tiers.map(([steps, rows]) => [steps * 10, steps * 10 * rows]), [
    [10, 3600],
    [60, 2 * 86400],
    [1800, 31 * 86400],
    [21600, 730 * 86400],
  ]);
  const args = createArgs(serverSources, 1000);
  assert.equal(args.filter((a) => a.startsWith("DS:")).length, Object.keys(serverSources).length);
  assert.equal(args.filter((a) => a.startsWith("RRA:")).length, 1 + 3 * 3, "average only at the finest tier");
  assert.ok(args.includes("-O"), "never overwrites an existing file");
});

test("update values: integers for counters, U for unknown or negative", () => {
  assert.equal(valueText(12.7, "DERIVE"), "12");
  assert.equal(valueText(0.5, "GAUGE"), "0.5");
  assert.equal(valueText(null, "GAUGE"), "U");
  assert.equal(valueText(-1, "DERIVE"), "U");
  assert.equal(valueText(NaN, "GAUGE"), "U");
  const arg = updateArg(serverSources, 1234, { cpu: 5, memory: 7 });
  assert.equal(arg.split(":").length, 1 + Object.keys(serverSources).length);
  assert.match(arg, /^1234:5:U:7:/);
});

test("FETCH answers become rows with null for unknown", () => {
  const f = parseFetch(["FlushVersion: 1", "Start: 100", "End: 130", "Step: 10", "DSCount: 2", "DSName: cpu mem", "110: 5.0e+05 -nan", "120: 1.0e+06 2.0e+03"]);
  assert.deepEqual(f, { start: 110, step: 10, names: ["cpu", "mem"], rows: [[500000, null], [1000000, 2000]] });
});
