/**
 * vs-enter pty mode: the shell gets a pty from the GUEST's devpts (the host's /dev/pts
 * gains nothing), the relay forwards window sizes, and exec mode refuses host ttys.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import * as pty from "node-pty";
import { helperPath } from "@/native";
import { startTestVserver, type TestVserver } from "@/agent/src/testing/test-vserver";
import { encodeEnterSpec, type EnterTarget } from "./enter-spec";
import { enterVserver, ptySpecForFile } from "./enter-vserver";

/** node-pty passes no extra fds: the spec names the init by pid + start time only. */
function withoutPidfd(t: EnterTarget): Omit<EnterTarget, "pidfd"> {
  const { pidfd: _unused, ...rest } = t;
  return rest;
}

function untilOutput(read: () => string, pattern: RegExp, tries = 400): Promise<string> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const tick = () => {
      const s = read();
      if (pattern.test(s)) return resolve(s);
      if (++n > tries) return reject(new Error(`no ${pattern} in output: ${JSON.stringify(s)}`));
      setTimeout(tick, 25);
    };
    tick();
  });
}

describe("vs-enter pty mode", () => {
  let v: TestVserver | undefined;
  let specDir = "";
  before(async () => {
    v = await startTestVserver("pty");
    specDir = mkdtempSync("/tmp/vst-spec-");
    chmodSync(specDir, 0o700);
  });
  after(async () => {
    await v?.cleanup();
    rmSync(specDir, { recursive: true, force: true });
  });

  it("gives the shell a guest pty and leaves the host's /dev/pts alone", async () => {
    const hostPtsBefore = readdirSync("/dev/pts").sort();
    const p = enterVserver(v!.target, { argv: ["/bin/sh"] });
    let out = "";
    p.child.stdout!.on("data", (b: Buffer) => (out += b.toString("utf8")));
    p.child.stdin!.write("readlink /proc/self/fd/0; ls -l /proc/$$/fd | grep -c pts; ls /dev/pts; echo MARK$((6*7))\n");
    await untilOutput(() => out, /MARK42/);
    assert.deepEqual(readdirSync("/dev/pts").sort(), hostPtsBefore, "no new host pty");
    p.child.stdin!.write("exit 7\n");
    assert.equal(await p.done, 7);
    assert.match(out, /^\/dev\/pts\/0\r?$/m);
    assert.match(out, /^0\s+ptmx\r?$/m); // the guest's own devpts instance: pty 0 is ours
    assert.match(out, /^3\r?$/m); // stdin, stdout, stderr of the shell: all that pty
  });

  it("relays a real terminal: raw mode, window size and SIGWINCH (node-pty)", async () => {
    const t = v!.target;
    const specFile = `${specDir}/enter.spec`;
    writeFileSync(specFile, ptySpecForFile(withoutPidfd(t), { argv: ["/bin/sh"] }), { mode: 0o600 });
    const term = pty.spawn(helperPath("vs-enter"), ["--spec-file", specFile], { cols: 100, rows: 30, env: {} });
    let out = "";
    term.onData((d) => (out += d));
    const exited = new Promise<number>((resolve) => term.onExit((e) => resolve(e.exitCode)));
    term.write("stty size; tty\r");
    await untilOutput(() => out, /30 100/);
    term.resize(120, 40);
    term.write("stty size\r");
    await untilOutput(() => out, /40 120/);
    term.write("exit 3\r");
    assert.equal(await exited, 3);
    assert.match(out, /\/dev\/pts\/\d+/);
  });

  it("exec (passthrough) mode never hands the caller's terminal to the guest", async () => {
    const specFile = `${specDir}/exec.spec`;
    const cmd = { argv: ["/bin/sh", "-c", "tty; readlink /proc/self/fd/0; readlink /proc/self/fd/1"] };
    writeFileSync(specFile, encodeEnterSpec(withoutPidfd(v!.target), "exec", cmd), { mode: 0o600 });
    const term = pty.spawn(helperPath("vs-enter"), ["--spec-file", specFile], { cols: 80, rows: 24, env: {} });
    let out = "";
    term.onData((d) => (out += d));
    const code = await new Promise<number>((resolve) => term.onExit((e) => resolve(e.exitCode)));
    assert.equal(code, 0, out); // the last readlink's status
    assert.match(out, /not a tty/);
    assert.match(out, /^pipe:\[\d+\]\r?$/m);
    assert.doesNotMatch(out, /\/dev\/pts/);
  });
});
