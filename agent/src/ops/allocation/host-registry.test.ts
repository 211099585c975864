/**
 * The host-wide id registry without root: two agents' state directories in a temp dir
 * and the registry under VSERVER_REGISTRY_DIR there. Choosing skips the other agent's
 * claims, stale claims (server deleted, agent's directories gone) are taken over, a
 * delete frees its claims, and the registry vanishes with its last claim.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { HostPaths } from "../../config/paths";
import { chooseContext } from "../../config/vserver/context-ids";
import { chooseUidRange } from "../../config/vserver/uid-ranges";
import { writeUidMap } from "../../config/vserver/uidmap";
import { withContextLock } from "../locks";
import { claimServerIds, foreignContexts, releaseAgentClaims, releaseServerClaims } from "./host-claims";
import { readClaims, registryDir, withHostRegistry } from "./host-registry";

let base = "";
const saved = process.env.VSERVER_REGISTRY_DIR;

function agent(n: string): HostPaths {
  const p = { confDir: path.join(base, n, "etc"), rootDir: path.join(base, n, "root"), runDir: path.join(base, n, "run") };
  for (const d of Object.values(p)) fs.mkdirSync(d, { recursive: true });
  return p;
}

/** What a build does under the context lock: choose, write, claim. */
function build(p: HostPaths, name: string, context?: number): Promise<{ context: number; uids: number }> {
  return withContextLock(p, async () => {
    const ctx = chooseContext(p, context);
    fs.mkdirSync(path.join(p.confDir, name));
    fs.writeFileSync(path.join(p.confDir, name, "context"), `${ctx}\n`);
    const range = chooseUidRange(p, undefined, path.join(base, "no-etc"));
    writeUidMap(p, name, { ...range, shifted: false });
    claimServerIds(p, name);
    return { context: ctx, uids: range.start };
  });
}

describe("host-wide id registry (temp dirs)", () => {
  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), "vst-registry-"));
    process.env.VSERVER_REGISTRY_DIR = path.join(base, "registry");
  });
  after(() => {
    if (saved === undefined) delete process.env.VSERVER_REGISTRY_DIR;
    else process.env.VSERVER_REGISTRY_DIR = saved;
    fs.rmSync(base, { recursive: true, force: true });
  });

  it("gives two agents different context ids and uid ranges, also when built at the same time", async () => {
    const a = agent("a");
    const b = agent("b");
    const got = await Promise.all([build(a, "one"), build(b, "one"), build(a, "two"), build(b, "two")]);
    assert.equal(new Set(got.map((g) => g.context)).size, 4, JSON.stringify(got));
    assert.equal(new Set(got.map((g) => g.uids)).size, 4, JSON.stringify(got));
    assert.ok(got.every((g) => g.context >= 100), JSON.stringify(got));
    // b's ids are foreign to a (host links of other servers on this machine may add more).
    const foreign = await withHostRegistry(() => foreignContexts(a));
    assert.ok(foreign.has(got[1]!.context) && foreign.has(got[3]!.context) && !foreign.has(got[0]!.context), JSON.stringify([...foreign]));
    assert.equal(foreignContexts(a).size, 0, "outside the lock the registry is not consulted");
  });

  it("takes over the claims of a deleted server and of an agent whose directories are gone", async () => {
    const a = agent("a");
    const b = agent("b");
    // An id far from the automatic ones, which no host link of a test server has.
    const bOld = (await build(b, "old", 40001)).context;
    await assert.rejects(build(a, "three", bOld), /is used by vserver "old" of another agent/);
    // b's "old" is deleted without a release (a crash): its claim is stale.
    fs.rmSync(path.join(b.confDir, "old"), { recursive: true });
    const again = await build(a, "three", bOld);
    assert.equal(again.context, bOld);
    // A whole agent swept away (a killed test run's temp host).
    fs.rmSync(path.join(base, "b"), { recursive: true });
    const freed = await withHostRegistry(() => foreignContexts(a));
    assert.equal([...freed.values()].some((o) => o.startsWith("vserver ")), false, JSON.stringify([...freed]));
  });

  it("a delete frees its claims; the registry is gone with the last claim", async () => {
    const a = agent("a");
    const before = readClaims("contexts").filter((c) => c.owner.name === "three");
    assert.equal(before.length, 1);
    await releaseServerClaims(a, "three");
    assert.equal(readClaims("contexts").filter((c) => c.owner.name === "three").length, 0);
    assert.ok(fs.existsSync(registryDir()));
    await releaseAgentClaims(a);
    assert.equal(fs.existsSync(registryDir()), false);
  });
});
