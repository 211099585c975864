/**
 * Two agents' state directories on one machine (two temp hosts, as tests and staging
 * hosts run) build servers at the same time through the shipped CLI: the host-wide
 * registry under /run (the real one) gives them different context ids and disjoint
 * uid ranges; both start with networks (host links vsh<ctx> side by side); a delete frees
 * its claim for the other agent; a swept host's claims are taken over; /run is as found.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { binPath, buildBundle, makeTempHost, type TempHost } from "@/agent/src/ops/testing/temp-host";
import { readClaims, registryDir } from "./host-registry";

let a: TempHost;
let b: TempHost;
let registryBefore: string[] | null = null;

function cli(host: TempHost, args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(binPath("vserver"), args, { env: host.env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.stderr.on("data", (d: Buffer) => (err += d.toString()));
    p.on("close", (code) => resolve({ code: code ?? -1, out, err }));
  });
}

function ids(host: TempHost, name: string): { context: number; uids: number } {
  const dir = path.join(host.paths.confDir, name);
  return { context: Number(fs.readFileSync(path.join(dir, "context"), "utf8")), uids: Number(fs.readFileSync(path.join(dir, "uidmap", "start"), "utf8")) };
}

function ours(): string[] {
  const mine = new Set([a?.paths.confDir, b?.paths.confDir]);
  return [...readClaims("contexts"), ...readClaims("uids")].filter((c) => mine.has(c.owner.confDir)).map((c) => `${c.kind}/${c.key} ${c.owner.name}`);
}

function listRegistry(): string[] | null {
  try {
    return fs.readdirSync(registryDir()).sort();
  } catch {
    return null;
  }
}

describe("host-wide allocation of context ids and uid ranges (two agents, real /run)", () => {
  before(() => {
    buildBundle();
    registryBefore = listRegistry();
    a = makeTempHost();
    b = makeTempHost();
  });
  after(async () => {
    await a?.cleanup();
    await b?.cleanup();
  });

  it("two agents building at the same time never share a context id or a uid", async () => {
    const builds = await Promise.all(
      ["ra1", "ra2", "ra3"].flatMap((n, i) => [cli(a, [n, "build", "--busybox", "--interface", `192.0.2.${30 + i}/32`]), cli(b, [n.replace("a", "b"), "build", "--busybox", "--interface", `192.0.2.${40 + i}/32`])]),
    );
    for (const r of builds) assert.equal(r.code, 0, r.err);
    const all = [...["ra1", "ra2", "ra3"].map((n) => ids(a, n)), ...["rb1", "rb2", "rb3"].map((n) => ids(b, n))];
    assert.equal(new Set(all.map((x) => x.context)).size, 6, JSON.stringify(all));
    const starts = all.map((x) => x.uids).sort((x, y) => x - y);
    for (let i = 1; i < starts.length; i++) assert.ok(starts[i]! - starts[i - 1]! >= 65536, `uid ranges overlap: ${starts.join(" ")}`);
    assert.equal(ours().length, 12, ours().join(", "));
  });

  it("servers of both agents run side by side with their own host links", async () => {
    assert.equal((await cli(a, ["ra1", "start"])).code, 0);
    const bs = await cli(b, ["rb1", "start"]);
    assert.equal(bs.code, 0, bs.err);
    const links = fs.readdirSync("/sys/class/net");
    assert.ok(links.includes(`vsh${ids(a, "ra1").context}`) && links.includes(`vsh${ids(b, "rb1").context}`), links.join(" "));
    assert.equal((await cli(a, ["ra1", "stop", "--timeout", "0"])).code, 0);
    assert.equal((await cli(b, ["rb1", "stop", "--timeout", "0"])).code, 0);
  });

  // Ids asked for by number lie far from the automatic ones (which other tests' servers
  // on this machine use, and whose host links make them taken).
  it("a delete frees its id for the other agent; another agent's id is a conflict", async () => {
    assert.equal((await cli(a, ["ra4", "build", "--busybox", "--context", "40104"])).code, 0);
    const taken = await cli(b, ["rb4", "build", "--busybox", "--context", "40104"]);
    assert.equal(taken.code, 6);
    assert.match(taken.err, /is used by vserver "ra4" of another agent/);
    assert.equal((await cli(a, ["ra4", "delete"])).code, 0);
    assert.equal(ours().some((c) => c.endsWith(" ra4")), false, ours().join(", "));
    const r = await cli(b, ["rb4", "build", "--busybox", "--context", "40104"]);
    assert.equal(r.code, 0, r.err);
    assert.equal(ids(b, "rb4").context, 40104);
  });

  it("a swept host's claims are taken over; cleanup leaves /run as found", async () => {
    assert.equal((await cli(a, ["ra5", "build", "--busybox", "--context", "40105"])).code, 0);
    // As a killed run's host after the sweeper removed its directories: claims stay behind.
    fs.rmSync(path.join(a.paths.confDir, "ra5"), { recursive: true });
    const r = await cli(b, ["rb5", "build", "--busybox", "--context", "40105"]);
    assert.equal(r.code, 0, r.err);
    await a.cleanup();
    await b.cleanup();
    assert.deepEqual(ours(), []);
    // Other agents on this machine may hold claims of their own; ours are gone, and an
    // empty registry is removed with its lock file.
    const now = listRegistry();
    if (registryBefore === null && now !== null) {
      const others = [...readClaims("contexts"), ...readClaims("uids")].map((c) => `${c.kind}/${c.key} ${c.owner.confDir}`);
      assert.notEqual(others.length, 0, `${registryDir()} was left behind empty: ${now.join(" ")}`);
    } else {
      assert.deepEqual(now === null ? null : now.filter((n) => n !== "uids" && n !== "contexts"), registryBefore === null ? null : registryBefore.filter((n) => n !== "uids" && n !== "contexts"));
    }
  });
});
