/**
 * A second key of a local repository whose scrypt costs about a millisecond, used first
 * by every restic run (`--key-hint`). restic 0.14 opens the repository key on every run
 * with the scrypt cost `restic init` calibrated (about half a second of CPU, several
 * seconds on a loaded host) and offers no way to choose it. That stretching protects a
 * password a person chose; the agent's repository passwords are 32 random bytes, which no
 * number of guesses finds, so a cheap KDF costs no protection.
 *
 * The key is made the way restic makes one (internal/repository/key.go, crypto/): the
 * repository's master key, opened once with an existing key and the sealed password, is
 * sealed again under scrypt(password, new salt, N=1024, r=8, p=1): AES-256-CTR with a
 * random IV, authenticated with Poly1305-AES, in a JSON file `keys/SHA256` beside the
 * others (none removed). Its id is kept in the target's `key-hint`; restic tries it
 * first and falls back to the others if it ever fails, so a wrong or missing light key
 * only costs time. SFTP repositories are left as they are.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { HostPaths } from "../../config/paths";
import { writeAtomic } from "../../config/vserver/value-files";
import type { ResticRepo } from "../../kernel/backup/run-restic";
import { targetDir } from "./target-store";

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, len: number, o: crypto.ScryptOptions) => Promise<Buffer>;

const LIGHT = { N: 1024, r: 8, p: 1 };

interface UserKey {
  enc: Buffer;
  macK: Buffer;
  macR: Buffer;
}

/** The file keeping the id of a target's light key. */
export function keyHintFile(paths: HostPaths, target: string): string {
  return path.join(targetDir(paths, target), "key-hint");
}

/** The light key's id of a target, when it has one whose file is in `repoDir`. */
export function lightKeyId(paths: HostPaths, target: string, repoDir: string): string | null {
  try {
    const id = fs.readFileSync(keyHintFile(paths, target), "utf8").trim();
    return /^[0-9a-f]{64}$/.test(id) && fs.existsSync(path.join(repoDir, "keys", id)) ? id : null;
  } catch {
    return null;
  }
}

function littleEndian(b: Buffer): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
}

/** Poly1305 (RFC 8439) of `msg` with key r (clamped here) and s. */
export function poly1305(msg: Buffer, r16: Buffer, s16: Buffer): Buffer {
  const p = (1n << 130n) - 5n;
  const r = littleEndian(r16) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  let acc = 0n;
  for (let i = 0; i < msg.length; i += 16) {
    const block = msg.subarray(i, i + 16);
    acc = ((acc + littleEndian(block) + (1n << BigInt(8 * block.length))) * r) % p;
  }
  acc = (acc + littleEndian(s16)) & ((1n << 128n) - 1n);
  const out = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) {
    out[i] = Number(acc & 0xffn);
    acc >>= 8n;
  }
  return out;
}

async function userKey(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<UserKey> {
  const kb = await scrypt(password, salt, 64, { N: params.N, r: params.r, p: params.p, maxmem: 1 << 30 });
  return { enc: kb.subarray(0, 32), macK: kb.subarray(32, 48), macR: kb.subarray(48, 64) };
}

/** restic's MAC: Poly1305 keyed with r and AES-128_k(nonce). */
function mac(key: UserKey, nonce: Buffer, ct: Buffer): Buffer {
  const aes = crypto.createCipheriv("aes-128-ecb", key.macK, null);
  aes.setAutoPadding(false);
  return poly1305(ct, key.macR, Buffer.concat([aes.update(nonce), aes.final()]));
}

function open(key: UserKey, data: Buffer): Buffer | null {
  if (data.length < 32) return null;
  const nonce = data.subarray(0, 16);
  const ct = data.subarray(16, data.length - 16);
  if (!crypto.timingSafeEqual(mac(key, nonce, ct), data.subarray(data.length - 16))) return null;
  const d = crypto.createDecipheriv("aes-256-ctr", key.enc, nonce);
  return Buffer.concat([d.update(ct), d.final()]);
}

function seal(key: UserKey, plain: Buffer): Buffer {
  const nonce = crypto.randomBytes(16);
  const c = crypto.createCipheriv("aes-256-ctr", key.enc, nonce);
  const ct = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([nonce, ct, mac(key, nonce, ct)]);
}

/** Adds a light key to the local repository `repoDir` of `target` and keeps its id; resolves with it (null: no key opened with the password). */
export async function addLightKey(paths: HostPaths, target: string, repo: ResticRepo, repoDir: string): Promise<string | null> {
  // restic trims the password file the same way.
  const password = fs.readFileSync(repo.passwordFile, "utf8").trim();
  const keysDir = path.join(repoDir, "keys");
  let master: Buffer | null = null;
  for (const f of fs.readdirSync(keysDir)) {
    try {
      const k = JSON.parse(fs.readFileSync(path.join(keysDir, f), "utf8")) as { kdf?: string; N: number; r: number; p: number; salt: string; data: string };
      if (k.kdf !== "scrypt") continue;
      master = open(await userKey(password, Buffer.from(k.salt, "base64"), k), Buffer.from(k.data, "base64"));
    } catch {
      master = null;
    }
    if (master) break;
  }
  if (!master) return null;
  const salt = crypto.randomBytes(64);
  const key = await userKey(password, salt, LIGHT);
  const file = Buffer.from(
    JSON.stringify({ created: new Date().toISOString(), username: "root", hostname: "vserver-agent", kdf: "scrypt", ...LIGHT, salt: salt.toString("base64"), data: seal(key, master).toString("base64") }),
  );
  const id = crypto.createHash("sha256").update(file).digest("hex");
  // Written beside keys/, then renamed in: restic refuses a repository whose keys/ holds a
  // file it cannot read, so a half-written key must never be there.
  const tmp = path.join(repoDir, `.light-key-${id}.tmp`);
  fs.writeFileSync(tmp, file, { mode: 0o400 });
  fs.renameSync(tmp, path.join(keysDir, id));
  writeAtomic(keyHintFile(paths, target), `${id}\n`, 0o600);
  return id;
}
