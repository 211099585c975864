/**
 * The light key of a local repository (light-key.ts) against Debian's restic: Poly1305
 * gives RFC 8439's test vector; the default local target, opened for the first time, gets
 * a second key that restic opens (it is restic's "current" key with the hint) and whose
 * scrypt parameters are the light ones, the first key stays; a backup and its listing
 * work through it; a hint naming a key that is gone is not used (the repository still
 * opens with the first key); a password that opens no key makes no light key.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { HostPaths } from "@/agent/src/config/paths";
import { runRestic } from "@/agent/src/kernel/backup/run-restic";
import { addLightKey, keyHintFile, lightKeyId, poly1305 } from "./light-key";
import { openRepository } from "./repository";
import { resticRepo } from "./target-store";

let base = "";
let paths: HostPaths;
const saved = process.env.VSERVER_BACKUP_DIR;

function keyFiles(repoDir: string): Record<string, { N: number; r: number; p: number }> {
  const dir = path.join(repoDir, "keys");
  return Object.fromEntries(fs.readdirSync(dir).map((f) => [f, JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as { N: number; r: number; p: number }]));
}

describe("the light key of a local repository (restic 0.14)", () => {
  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), "vst-bk-lightkey-"));
    paths = { confDir: path.join(base, "conf"), rootDir: path.join(base, "roots"), runDir: path.join(base, "run") };
    for (const d of Object.values(paths)) fs.mkdirSync(d, { recursive: true });
    process.env.VSERVER_BACKUP_DIR = path.join(base, "repo");
  });
  after(() => {
    if (saved === undefined) delete process.env.VSERVER_BACKUP_DIR;
    else process.env.VSERVER_BACKUP_DIR = saved;
    if (base) fs.rmSync(base, { recursive: true, force: true });
  });

  it("computes Poly1305 as RFC 8439 section 2.5.2 says", () => {
    const key = Buffer.from("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b", "hex");
    const tag = poly1305(Buffer.from("Cryptographic Forum Research Group"), key.subarray(0, 16), key.subarray(16));
    assert.equal(tag.toString("hex"), "a8061dc1305136c6c22b8baf0c0127a9");
  });

  it("a new local repository gets a light key that restic opens first; backups work through it; the first key stays", async () => {
    const repoDir = path.join(base, "repo");
    const repo = await openRepository(paths, "local");
    const id = lightKeyId(paths, "local", repoDir);
    assert.ok(id, "the hint names a key file of the repository");
    assert.deepEqual(repo.options, ["--key-hint", id]);
    const keys = keyFiles(repoDir);
    assert.equal(Object.keys(keys).length, 2, "restic's own key and the light one");
    assert.deepEqual({ N: keys[id]!.N, r: keys[id]!.r, p: keys[id]!.p }, { N: 1024, r: 8, p: 1 });
    const listed = JSON.parse((await runRestic(repo, ["key", "list", "--json"])).stdout) as { id: string; current: boolean }[];
    assert.ok(listed.find((k) => id.startsWith(k.id) || k.id.startsWith(id.slice(0, 8)))?.current, `restic used the light key: ${JSON.stringify(listed)}`);
    const src = path.join(base, "data");
    fs.mkdirSync(src);
    fs.writeFileSync(path.join(src, "f"), "content\n");
    await runRestic(repo, ["backup", "--json", src]);
    const snaps = JSON.parse((await runRestic(repo, ["snapshots", "--json"])).stdout) as unknown[];
    assert.equal(snaps.length, 1);
    assert.equal(execFileSync("restic", ["--key-hint", id, "-r", repoDir, "--password-file", repo.passwordFile, "dump", "latest", path.join(src, "f")], { encoding: "utf8", env: { ...process.env, RESTIC_CACHE_DIR: repo.cacheDir } }), "content\n");
  });

  it("a hint whose key is gone is not used and the repository still opens; a password that opens no key makes none", async () => {
    const repoDir = path.join(base, "repo");
    const id = lightKeyId(paths, "local", repoDir)!;
    fs.rmSync(path.join(repoDir, "keys", id));
    assert.equal(lightKeyId(paths, "local", repoDir), null);
    assert.deepEqual(resticRepo(paths, "local").options, []);
    await runRestic(resticRepo(paths, "local"), ["cat", "config"]);
    const wrong = path.join(base, "wrong-password");
    fs.writeFileSync(wrong, "not-the-password\n", { mode: 0o600 });
    fs.rmSync(keyHintFile(paths, "local"), { force: true });
    assert.equal(await addLightKey(paths, "local", { ...resticRepo(paths, "local"), passwordFile: wrong }, repoDir), null);
    assert.equal(Object.keys(keyFiles(repoDir)).length, 1);
    assert.ok(!fs.existsSync(keyHintFile(paths, "local")));
  });
});
