/**
 * Keeps the panel's OsTemplate rows in step with what each host's agent has in its
 * template store, so the wizard and placement read the database, not every agent.
 */
import type { Db } from "@/lib/db/client";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";

/** Reads a host's templates and mirrors them; returns how many it has. */
export async function syncHostTemplates(db: Db, hostId: string): Promise<number> {
  const host = await db.host.findUniqueOrThrow({ where: { id: hostId } });
  const { templates } = await agentForHost(host, 5000).listTemplates({});
  await db.$transaction([
    db.osTemplate.deleteMany({ where: { hostId, name: { notIn: templates.map((t) => t.name) } } }),
    ...templates.map((t) =>
      db.osTemplate.upsert({
        where: { hostId_name: { hostId, name: t.name } },
        create: { hostId, name: t.name, distribution: t.distribution ?? "", sizeBytes: BigInt(t.contentBytes) },
        update: { distribution: t.distribution ?? "", sizeBytes: BigInt(t.contentBytes) },
      }),
    ),
  ]);
  return templates.length;
}
