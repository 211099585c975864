/**
 * Rescue mode on a real kernel (issue 18 point 1), through the CLI as it ships (each
 * command its own process, as an agent restart is): a busybox server boots the rescue
 * system with its own root at /mnt, the one-time password is root's in the rescue root
 * only, a file fixed under /mnt stays fixed and the server boots normally with it after
 * the rescue ends; a normal start ends a rescue too; the host ends an expired rescue by
 * itself (what an agent does at its start and every 30 s); a suspended server refuses it.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { after, before, describe, it } from "node:test";
import { readRescueFile } from "@/agent/src/config/vserver/rescue-file";
import { recordDesired } from "@/agent/src/ops/lifecycle/desired-state";
import { withServerLock } from "@/agent/src/ops/locks";
import { processAlive, readRunState } from "@/agent/src/ops/runtime/run-state";
import { cliServers } from "@/agent/src/ops/testing/cli-servers";
import { rescueRootOf } from "./rescue-root";
import { startRescue } from "./start-rescue";
import { endExpiredRescues } from "./supervise-rescues";

const servers = cliServers();
const { run, ok, build } = servers;

/** Runs a shell command inside the running server. */
function inside(name: string, script: string): string {
  return ok("vserver", [name, "exec", "/bin/sh", "-c", script]);
}

function runningRoot(name: string): string | null {
  const s = readRunState(servers.host.paths, name);
  return s && processAlive(s.initPid, s.initStartTime) ? s.root : null;
}

describe("rescue mode (busybox servers, real kernel)", () => {
  before(() => servers.setUp());
  after(() => servers.cleanUp());

  it("boots the rescue system with the real root at /mnt; a file fixed there stays fixed and the server boots normally with it", () => {
    build("resq");
    ok("vserver", ["resq", "start"]);
    inside("resq", "echo broken > /etc/boot-config && echo own-root > /etc/own-marker && chown 1000:1000 /etc/own-marker");
    const ownRange = inside("resq", "cat /proc/self/uid_map").trim();
    assert.doesNotMatch(ownRange, /^0\s+0\s+4294967295$/, "the server has a uid range of its own");

    const out = ok("vserver", ["resq", "rescue", "start", "--minutes", "30"]);
    const password = /rescue root password: (\S+)/.exec(out)?.[1];
    assert.ok(password, `no password in: ${out}`);
    assert.equal(runningRoot("resq"), rescueRootOf(servers.host.paths, "resq"), "the server runs from its rescue root");
    // Inside: the rescue system, and the server's own root at /mnt.
    assert.match(inside("resq", "cat /etc/motd"), /rescue system/);
    assert.equal(inside("resq", "test -e /etc/own-marker && echo yes || echo no").trim(), "no", "the rescue root is not the server's root");
    assert.equal(inside("resq", "cat /mnt/etc/boot-config").trim(), "broken");
    assert.equal(inside("resq", "cat /mnt/etc/own-marker").trim(), "own-root");
    assert.match(inside("resq", "grep ' /mnt ' /proc/mounts"), / \/mnt /);
    // In the server's own uid range (shared uids stay the admin's choice), its files' owners as the server sees them.
    assert.equal(inside("resq", "cat /proc/self/uid_map").trim(), ownRange, "the rescue system runs in the server's range");
    assert.equal(inside("resq", "stat -c '%u %g' /mnt/etc/own-marker").trim(), "1000 1000");
    // Root's one-time password is the rescue root's, as a SHA-512 crypt hash of what was printed.
    const hash = inside("resq", "grep '^root:' /etc/shadow").split(":")[1]!;
    const salt = /^\$6\$([^$]+)\$/.exec(hash)?.[1];
    assert.ok(salt, `root's hash is SHA-512 crypt: ${hash}`);
    assert.equal(execFileSync("openssl", ["passwd", "-6", "-salt", salt, "-stdin"], { input: `${password}\n`, encoding: "utf8" }).trim(), hash);
    assert.doesNotMatch(inside("resq", "cat /mnt/etc/shadow"), new RegExp(hash.replace(/[$.*+?^{}()|[\]\\/]/g, "\\$&")), "the server's own shadow is not touched");
    // The rescue holds across processes (each CLI command is one; an agent restart is too).
    assert.match(ok("vserver", ["resq", "rescue", "status"]), /in rescue until/);

    inside("resq", "echo fixed > /mnt/etc/boot-config && echo new > /mnt/etc/made-in-rescue && sync");
    ok("vserver", ["resq", "rescue", "stop"]);

    assert.equal(runningRoot("resq"), `${servers.host.paths.rootDir}/resq`, "the server runs from its own root again");
    assert.equal(inside("resq", "cat /etc/boot-config").trim(), "fixed");
    assert.equal(inside("resq", "stat -c %u /etc/made-in-rescue").trim(), "0", "made by the rescue system's root, owned by the server's root");
    assert.equal(inside("resq", "cat /etc/own-marker").trim(), "own-root");
    assert.equal(inside("resq", "test -e /etc/motd && echo yes || echo no").trim(), "no");
    assert.equal(readRescueFile(servers.host.paths, "resq"), null);
    assert.equal(fs.existsSync(rescueRootOf(servers.host.paths, "resq")), false, "the rescue root is removed");
    assert.equal(run("vserver", ["resq", "rescue", "status"]).code, 3);
  });

  it("a normal start ends a rescue (the rescue system stopped, then started)", () => {
    ok("vserver", ["resq", "rescue", "start"]);
    ok("vserver", ["resq", "stop", "--timeout", "0"]);
    assert.ok(readRescueFile(servers.host.paths, "resq"), "a stop keeps the record: the next start ends it");
    ok("vserver", ["resq", "start"]);
    assert.equal(runningRoot("resq"), `${servers.host.paths.rootDir}/resq`);
    assert.equal(readRescueFile(servers.host.paths, "resq"), null);
    assert.equal(fs.existsSync(rescueRootOf(servers.host.paths, "resq")), false);
  });

  it("the host ends a rescue whose time is up by itself and boots the server normally; one not yet due stays", async () => {
    await startRescue(servers.host.paths, "resq", { rootPassword: "one-time-pass", sshKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBv0m1OKbQ2nqG6Ul+Z8tCJm8qHdVcIi1ufx+Lz7Yh7a test@example"], minutes: 5, timeoutSec: 0 }, "panel");
    assert.match(inside("resq", "cat /root/.ssh/authorized_keys"), /^ssh-ed25519 AAAAC3/);
    assert.deepEqual(await endExpiredRescues(servers.host.paths, undefined, Date.now()), [], "not due yet");
    assert.equal(runningRoot("resq"), rescueRootOf(servers.host.paths, "resq"));
    const ended = await endExpiredRescues(servers.host.paths, (n, e) => assert.fail(`${n}: ${String(e)}`), Date.now() + 6 * 60_000);
    assert.deepEqual(ended, ["resq"]);
    assert.equal(runningRoot("resq"), `${servers.host.paths.rootDir}/resq`);
    assert.equal(readRescueFile(servers.host.paths, "resq"), null);
  });

  it("a suspended server refuses rescue and stays down", async () => {
    ok("vserver", ["resq", "stop", "--timeout", "0"]);
    await withServerLock(servers.host.paths, "resq", async () => void recordDesired(servers.host.paths, "resq", "suspended", "panel", "unpaid"));
    const r = run("vserver", ["resq", "rescue", "start"]);
    assert.equal(r.code, 4, r.err);
    assert.match(r.err, /suspended/);
    assert.equal(runningRoot("resq"), null);
    assert.equal(readRescueFile(servers.host.paths, "resq"), null);
  });

  it("deleting a server removes a rescue root that no start ended", () => {
    build("resq2");
    ok("vserver", ["resq2", "rescue", "start"]);
    ok("vserver", ["resq2", "stop", "--timeout", "0"]);
    assert.equal(fs.existsSync(rescueRootOf(servers.host.paths, "resq2")), true, "a stop keeps the rescue root until the next start");
    ok("vserver", ["resq2", "delete"]);
    assert.equal(fs.existsSync(rescueRootOf(servers.host.paths, "resq2")), false);
  });
});
