/**
 * The words of an event for people (the in-panel list and e-mails): a title, one line of
 * detail and a link to what it is about. Guest-made text never gets here (a cause is one
 * of the agent's closed set of reasons, names are validated server names).
 */
import type { Db } from "@/lib/db/client";
import { eventKind } from "./catalogue";

/** An event as shown. */
export interface EventText {
  title: string;
  body: string;
  link: string | null;
}

const detail = (data: Record<string, unknown>): string => {
  const parts: string[] = [];
  if (typeof data.cause === "string") parts.push(`cause: ${data.cause}`);
  if (typeof data.percent === "number") parts.push(`${data.percent} % used`);
  if (typeof data.reason === "string" && data.reason) parts.push(`reason: ${data.reason}`);
  if (typeof data.error === "string") parts.push(data.error.slice(0, 300));
  if (typeof data.ip === "string") parts.push(`from ${data.ip}`);
  if (typeof data.plan === "string") parts.push(`plan ${data.plan}`);
  if (typeof data.jobType === "string") parts.push(`job ${data.jobType}`);
  return parts.join("; ");
};

/** Title, body and link of an event. */
export async function describeEvent(db: Db, ev: { type: string; vserverId: string | null; hostId: string | null; data: string }): Promise<EventText> {
  const data = JSON.parse(ev.data) as Record<string, unknown>;
  const label = eventKind(ev.type)?.label ?? ev.type;
  if (ev.vserverId) {
    const server = await db.vServer.findUnique({ where: { id: ev.vserverId }, select: { name: true, hostname: true } });
    const name = server?.name ?? (typeof data.name === "string" ? data.name : "a server");
    return { title: `${label}: ${name}`, body: detail(data), link: server ? `/servers/${ev.vserverId}` : null };
  }
  if (ev.hostId) {
    const host = await db.host.findUnique({ where: { id: ev.hostId }, select: { name: true } });
    return { title: `${label}: ${host?.name ?? "a host"}`, body: detail(data), link: ev.type.startsWith("backup.") ? "/admin/backups" : "/admin/hosts" };
  }
  return { title: label, body: detail(data), link: "/account" };
}
