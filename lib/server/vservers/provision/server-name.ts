/**
 * util-vserver names for new servers: derived from the hostname's first label (what a
 * person would type in `vserver NAME enter`), made unique on the host.
 */
import type { Db } from "@/lib/db/client";

/** A valid name from a hostname: web1.example.com → web1; 1foo → vs-1foo. */
export function nameFromHostname(hostname: string): string {
  let base = (hostname.split(".")[0] ?? "").toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/^-+|-+$/g, "");
  if (!/^[a-z]/.test(base)) base = `vs-${base}`;
  return base.slice(0, 27).replace(/-+$/, "") || "vs";
}

/** The first free name on the host: base, base-2, base-3, … */
export async function uniqueServerName(db: Pick<Db, "vServer">, hostId: string, hostname: string): Promise<string> {
  const base = nameFromHostname(hostname);
  const taken = new Set((await db.vServer.findMany({ where: { hostId, name: { startsWith: base } }, select: { name: true } })).map((s) => s.name));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** The lowest free context id on the host, from 100 up (util-vserver's static range starts low; 100 leaves room for the admin's own). */
export async function freeContextId(db: Pick<Db, "vServer">, hostId: string, above = 99): Promise<number> {
  const used = new Set((await db.vServer.findMany({ where: { hostId }, select: { contextId: true } })).map((s) => s.contextId));
  for (let id = Math.max(100, above + 1); id <= 49151; id++) if (!used.has(id)) return id;
  throw new Error("no free context id on this host");
}
