/**
 * A start after a killed one: the agent left on the socket is stopped (it is an agent),
 * a socket held by anything else is named and left alone.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { socketListeners, stopLeftoverAgent } from "./leftover-agent";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vsp-leftover-"));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A process named `file` (as the agent's bundle is) listening on `socket`. */
async function listener(file: string, socket: string): Promise<ChildProcess> {
  const script = path.join(dir, file);
  fs.writeFileSync(script, `import("node:net").then((net) => net.createServer().listen(${JSON.stringify(socket)}, () => console.log("up")));`);
  const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
  return child;
}

test("an agent left listening on the socket is stopped, and the socket is free afterwards", async () => {
  const socket = path.join(dir, "agent.sock");
  const old = await listener("agent.mjs", socket);
  assert.deepEqual(socketListeners(socket), [old.pid]);
  const said: string[] = [];
  await stopLeftoverAgent(socket, (l) => said.push(l));
  assert.ok(old.exitCode !== null || old.signalCode !== null, "the old agent ended");
  assert.deepEqual(socketListeners(socket), []);
  assert.match(said.join("\n"), new RegExp(`pid ${old.pid}`));
  const refused = await new Promise<boolean>((resolve) => net.connect(socket).once("connect", () => resolve(false)).once("error", () => resolve(true)));
  assert.ok(refused, "nobody answers on the socket any more");
});

test("a socket held by something that is not an agent is refused with its pid, and it keeps running", async () => {
  const socket = path.join(dir, "other.sock");
  const other = await listener("not-it.js", socket);
  await assert.rejects(stopLeftoverAgent(socket, () => undefined), new RegExp(`process ${other.pid}, which is not an agent`));
  assert.equal(other.exitCode, null);
});

test("nobody on the socket: nothing to do", async () => {
  await stopLeftoverAgent(path.join(dir, "none.sock"), () => assert.fail("nothing should be said"));
});
