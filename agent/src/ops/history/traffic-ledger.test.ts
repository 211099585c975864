/**
 * The traffic ledger: counts what each run's counters grew by, continues after a restart
 * of the agent from the saved raw values (nothing lost, nothing twice), takes in a
 * stopped run's final counters once, and forgets deleted servers.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import type { HostPaths } from "../../config/paths";
import { recordFinalTraffic, TrafficLedger } from "./traffic-ledger";

const base = fs.mkdtempSync(path.join(os.tmpdir(), "vst-ledger-"));
after(() => fs.rmSync(base, { recursive: true, force: true }));
const paths: HostPaths = { confDir: path.join(base, "etc"), rootDir: path.join(base, "root"), runDir: path.join(base, "run") };
const file = path.join(base, "traffic.json");
const total = (l: TrafficLedger, name: string) => l.totals().find((t) => t.name === name);

test("runs, restarts of the agent and final counters are each counted once", () => {
  const a = new TrafficLedger(file, paths);
  a.load();
  a.count("web", { run: "10:1", rxBytes: 100, txBytes: 10 });
  a.count("web", { run: "10:1", rxBytes: 250, txBytes: 30 });
  assert.deepEqual([total(a, "web")!.rxBytes, total(a, "web")!.txBytes], [250, 30]);
  a.save();
  // The agent restarts while the server keeps running: the new one continues from the saved raw value.
  const b = new TrafficLedger(file, paths);
  b.load();
  b.count("web", { run: "10:1", rxBytes: 300, txBytes: 40 });
  assert.equal(total(b, "web")!.rxBytes, 300);
  // The server stops: its final counters are left in its run dir, taken in once.
  fs.mkdirSync(path.join(paths.runDir, "servers", "web"), { recursive: true });
  recordFinalTraffic(paths, "web", { run: "10:1", rxBytes: 320, txBytes: 45 });
  b.absorbFinal("web");
  b.absorbFinal("web");
  assert.deepEqual([total(b, "web")!.rxBytes, total(b, "web")!.txBytes], [320, 45]);
  // A sweep that still saw the old run does not count it again.
  b.count("web", { run: "10:1", rxBytes: 320, txBytes: 45 });
  assert.equal(total(b, "web")!.rxBytes, 320);
  b.save();
  assert.equal(fs.existsSync(path.join(paths.runDir, "servers", "web", "traffic-final.json")), false, "removed once saved");
  // A new run starts its counters at zero: all of it is new.
  b.count("web", { run: "20:5", rxBytes: 7, txBytes: 3 });
  assert.deepEqual([total(b, "web")!.rxBytes, total(b, "web")!.txBytes], [327, 48]);
  b.prune(new Set());
  assert.equal(total(b, "web"), undefined);
});

test("an unreadable ledger says so and starts from zero", () => {
  fs.writeFileSync(file, "{not json");
  const l = new TrafficLedger(file, paths);
  assert.match(l.load().problem ?? "", /unreadable/);
  assert.deepEqual(l.totals(), []);
});
