/** Parsing the monitor's init-exit.json. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import { readInitExit } from "./init-exit";

describe("readInitExit", () => {
  it("reads exits and reboots, keeps the start time exact, and tolerates no file", () => {
    const dir = mkdtempSync("/tmp/vst-exit-");
    try {
      assert.equal(readInitExit(dir), undefined);
      writeFileSync(`${dir}/init-exit.json`, '{"initPid":5,"startTime":18446744073709551615,"status":"signaled","signal":1,"reboot":"restart"}\n');
      assert.deepEqual(readInitExit(dir), { initPid: 5, startTime: "18446744073709551615", status: "signaled", signal: 1, reboot: "restart" });
      writeFileSync(`${dir}/init-exit.json`, '{"initPid":5,"startTime":1,"status":"exited","code":3}\n');
      assert.equal(readInitExit(dir)?.status, "exited");
      writeFileSync(`${dir}/init-exit.json`, '{"initPid":"x"}');
      assert.throws(() => readInitExit(dir), /malformed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
