/**
 * `vattribute NAME --set --bcap CAP… --flag FLAG…`: changes `bcapabilities` and `flags`,
 * applied at the next start (a running guest's bounding set can only shrink, and
 * changing it under a running init would surprise it). `~X` removes an entry.
 */
import { badInput } from "../../errors";
import type { HostPaths } from "../../config/paths";
import { mergeBcaps, normalizeBcap } from "../../config/vserver/bcapabilities";
import { isVserverFlag, VSERVER_FLAGS } from "../../config/vserver/flags";
import { readVserverConfig } from "../../config/vserver/read-config";
import { writeBcapabilities, writeFlags } from "../../config/vserver/write-config";
import { withServerLock } from "../locks";

/** Changes to apply. */
export interface AttributeChange {
  bcaps?: string[];
  flags?: string[];
}

/** Applies the change; returns the resulting entries. */
export async function setAttributes(paths: HostPaths, name: string, change: AttributeChange): Promise<{ bcapabilities: string[]; flags: string[] }> {
  const bcaps = (change.bcaps ?? []).map((b, i) => {
    const n = normalizeBcap(b);
    if (n === undefined) throw badInput(`bcap.${i}`, `unknown capability "${b}"`);
    return n;
  });
  const flagOps = (change.flags ?? []).map((f, i) => {
    const remove = f.startsWith("~") || f.startsWith("!");
    const flag = (remove ? f.slice(1) : f).toLowerCase();
    if (!isVserverFlag(flag)) throw badInput(`flag.${i}`, `unknown flag "${f}" (known: ${VSERVER_FLAGS.join(", ")})`);
    return { flag, remove };
  });
  return withServerLock(paths, name, async () => {
    const cfg = readVserverConfig(paths, name);
    const nextCaps = mergeBcaps(cfg.bcapabilities, bcaps);
    const flags = new Set<string>(cfg.flags);
    for (const op of flagOps) {
      if (op.remove) flags.delete(op.flag);
      else flags.add(op.flag);
    }
    const nextFlags = [...flags].sort();
    writeBcapabilities(paths, name, nextCaps);
    writeFlags(paths, name, nextFlags);
    return { bcapabilities: nextCaps, flags: nextFlags };
  });
}
