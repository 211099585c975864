/**
 * One pass of the background host monitor: probes the hosts whose probe is due and this
 * instance claimed (claim-due-probes.ts), each bounded by its own timeout and all at once,
 * so a slow or dead host delays no other; an online host's templates are mirrored after.
 * A host whose last probe from this instance is still running is neither claimed nor asked again.
 */
import type { Db } from "@/lib/db/client";
import { syncHostTemplates } from "@/lib/server/templates/sync-templates";
import { claimDueProbes } from "./claim-due-probes";
import { probeHost, type ProbeResult } from "./probe-host";

/** What a pass needs besides the database (tests give their own probe). */
export interface ProbePassOptions {
  /** The period each host is probed in, across all instances. */
  everyMs: number;
  /** Each probe's bound. */
  timeoutMs?: number;
  /** Host ids whose probe from this instance is still running (kept across passes). */
  busy?: Set<string>;
  probe?: (db: Db, hostId: string, timeoutMs: number) => Promise<ProbeResult>;
  mirrorTemplates?: (db: Db, hostId: string) => Promise<unknown>;
}

/** Runs one pass; resolves with the ids of the hosts it probed once their probes ended. */
export async function probeDueHosts(db: Db, opts: ProbePassOptions): Promise<string[]> {
  const { everyMs, timeoutMs = 3000, busy = new Set<string>(), probe = probeHost, mirrorTemplates = syncHostTemplates } = opts;
  const ids = await claimDueProbes(db, everyMs, new Date(), Math.random, busy);
  await Promise.all(
    ids.map(async (id) => {
      busy.add(id);
      try {
        const r = await probe(db, id, timeoutMs).catch(() => null);
        if (r?.online) await mirrorTemplates(db, id).catch(() => undefined);
      } finally {
        busy.delete(id);
      }
    }),
  );
  return ids;
}
