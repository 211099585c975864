/**
 * util-vserver's `interfaces/NN/` directories, one per address: `ip`, `prefix`, and
 * optionally `dev` (host device; informational here, the network layer decides) and
 * `name` (a label). NN is a two-digit index; the order is kept.
 */
import fs from "node:fs";
import path from "node:path";
import { isIP } from "node:net";
import type { InterfaceAddress } from "@/lib/protocol/names";
import { badConfig, readValue, removeConfigPath, writeValue } from "./value-files";

/** Reads every `interfaces/NN/` in index order. */
export function readInterfaces(dir: string): InterfaceAddress[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  return names.map((n) => {
    const ipFile = path.join(dir, n, "ip");
    const prefixFile = path.join(dir, n, "prefix");
    const address = readValue(ipFile);
    if (address === undefined || isIP(address) === 0) throw badConfig(ipFile, `"${address ?? ""}" is not an IP address`);
    const max = isIP(address) === 4 ? 32 : 128;
    const prefixText = readValue(prefixFile) ?? String(max);
    const prefix = Number(prefixText);
    if (!/^\d{1,3}$/.test(prefixText) || prefix > max) throw badConfig(prefixFile, `"${prefixText}" is not a prefix length 0..${max}`);
    return { address, prefix };
  });
}

/** Replaces the whole `interfaces/` directory with these addresses: built beside it and
 * swapped in by renames, so a reader sees the old or the new list, never a mix. */
export function writeInterfaces(dir: string, addresses: readonly InterfaceAddress[]): void {
  const tag = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const fresh = `${dir}.new-${tag}`;
  const old = `${dir}.old-${tag}`;
  fs.mkdirSync(fresh, { recursive: true, mode: 0o755 });
  try {
    addresses.forEach((a, i) => {
      const sub = path.join(fresh, String(i).padStart(2, "0"));
      writeValue(path.join(sub, "ip"), a.address);
      writeValue(path.join(sub, "prefix"), String(a.prefix));
    });
    if (fs.existsSync(dir)) fs.renameSync(dir, old);
    fs.renameSync(fresh, dir);
  } finally {
    removeConfigPath(fresh);
    removeConfigPath(old);
  }
}
