/**
 * `npx tsx scripts/dev/multi-host-bed.ts [COUNT]` (as root, beside a panel started with
 * `npm start`): adds COUNT (default 3) hosts to that panel — agents in network namespaces
 * of their own behind a bridge, on TLS, each with its own VSERVER_* directories under
 * /tmp/vst-* (lib/server/testing/multi-host-bed.ts) — and keeps them until Ctrl-C, which
 * stops the agents, removes their servers, namespaces and bridge, and the hosts' rows.
 * For trying placement, host pages, offline hosts and (later) migration by hand.
 */
import { createDb } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";
import { startMultiHostBed } from "@/lib/server/testing/multi-host-bed";

const count = Number(process.argv[2] ?? 3);
if (!Number.isInteger(count) || count < 1 || count > 9) {
  console.error("usage: scripts/dev/multi-host-bed.ts [COUNT 1-9]");
  process.exit(2);
}
const db = createDb();
const admin = await db.user.findFirst({ where: { role: "ADMIN" }, orderBy: { createdAt: "asc" } });
if (!admin) {
  console.error("no admin in this panel's database: run npm start first");
  process.exit(1);
}
const actor: Actor = { userId: admin.id, role: "ADMIN", via: "cli", ip: null, userAgent: null };
const bed = await startMultiHostBed(db, actor, count);
for (const h of bed.hosts) console.log(`${h.name}  ${h.endpoint}  (netns ${h.netns}, dirs ${h.temp.base})`);
console.log(`bridge ${bed.bridge}; Ctrl-C removes it all`);
let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await bed.stop();
  await db.host.deleteMany({ where: { id: { in: bed.hosts.map((h) => h.hostId) } } }).catch((e: unknown) => console.error("cannot remove the hosts' rows (servers left on them?)", e));
  await db.$disconnect();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
