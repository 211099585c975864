/** Unit tests of flock(2): exclusion between open file descriptions in one process, and
 * a lock that dies with its holder (a child SIGKILLed while holding it). */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { constants as C, flock, isNativeError } from "./index";

const addonPath = fileURLToPath(new URL("./build/Release/vsnative.node", import.meta.url));

/** The child opens the file, takes LOCK_EX through the addon, says so and waits. */
const holderScript = `
const [addon, file] = process.argv.slice(1);
const b = require(addon);
const fd = require("node:fs").openSync(file, "r+");
b.flock(fd, b.constants.LOCK_EX);
process.stdout.write("locked\\n");
setInterval(() => {}, 1 << 30);
`;

function isWouldBlock(e: unknown): boolean {
  return isNativeError(e, "EAGAIN") && e.errno === -11 && e.syscall === "flock";
}

describe("flock", () => {
  let dir = "";
  let file = "";
  const fds: number[] = [];
  const children: ChildProcess[] = [];
  const open = () => {
    const fd = openSync(file, "r+");
    fds.push(fd);
    return fd;
  };
  before(() => {
    dir = mkdtempSync("/tmp/vst-flock-");
    file = `${dir}/server.lock`;
    writeFileSync(file, "");
  });
  after(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    for (const fd of fds.splice(0)) closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  it("exports the LOCK_* constants with the kernel's values", () => {
    assert.deepEqual([C.LOCK_SH, C.LOCK_EX, C.LOCK_NB, C.LOCK_UN], [1, 2, 4, 8]);
  });

  it("LOCK_EX|LOCK_NB on a second fd fails with EAGAIN while the first holds it, and works after LOCK_UN", () => {
    const first = open();
    const second = open();
    flock(first, C.LOCK_EX);
    assert.throws(() => flock(second, C.LOCK_EX | C.LOCK_NB), isWouldBlock);
    assert.throws(() => flock(second, C.LOCK_SH | C.LOCK_NB), isWouldBlock);
    flock(first, C.LOCK_UN);
    flock(second, C.LOCK_EX | C.LOCK_NB);
    assert.throws(() => flock(first, C.LOCK_SH | C.LOCK_NB), isWouldBlock);
    flock(second, C.LOCK_UN);
  });

  it("shared locks coexist and keep an exclusive one out; closing the holder's fd releases", () => {
    const a = open();
    const b = open();
    const c = open();
    flock(a, C.LOCK_SH | C.LOCK_NB);
    flock(b, C.LOCK_SH | C.LOCK_NB);
    assert.throws(() => flock(c, C.LOCK_EX | C.LOCK_NB), isWouldBlock);
    flock(a, C.LOCK_UN);
    closeSync(fds.splice(fds.indexOf(b), 1)[0]!);
    flock(c, C.LOCK_EX | C.LOCK_NB);
    flock(c, C.LOCK_UN);
  });

  it("a lock held by a child process disappears when the child is SIGKILLed", async () => {
    const child = spawn(process.execPath, ["-e", holderScript, addonPath, file], { stdio: ["ignore", "pipe", "inherit"] });
    children.push(child);
    const exited = once(child, "exit");
    let out = "";
    for await (const chunk of child.stdout!) {
      out += String(chunk);
      if (out.includes("locked\n")) break;
    }
    assert.equal(out, "locked\n");
    const fd = open();
    assert.throws(() => flock(fd, C.LOCK_EX | C.LOCK_NB), isWouldBlock);
    assert.throws(() => flock(fd, C.LOCK_SH | C.LOCK_NB), isWouldBlock);
    child.kill("SIGKILL");
    const [, signal] = await exited;
    assert.equal(signal, "SIGKILL");
    flock(fd, C.LOCK_EX | C.LOCK_NB);
    flock(fd, C.LOCK_UN);
  });

  it("reports a bad fd and a bad operation like fs errors, bad argument types as TypeError", () => {
    assert.throws(() => flock(0x7ffffff0, C.LOCK_EX), (e) => isNativeError(e, "EBADF") && e.syscall === "flock" && e.path === undefined);
    const fd = open();
    assert.throws(() => flock(fd, 0), (e) => isNativeError(e, "EINVAL") && e.errno === -22);
    // @ts-expect-error: wrong type on purpose
    assert.throws(() => flock(fd, "LOCK_EX"), TypeError);
    assert.throws(() => flock(1.5, C.LOCK_EX), TypeError);
  });
});
