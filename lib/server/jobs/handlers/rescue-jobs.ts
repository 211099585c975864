/**
 * `server.rescue-start` and `server.rescue-end`: one agent call each (the host records the
 * rescue and its end time before it stops the server, so the rescue holds across agent
 * restarts and ends by itself in time); the row's `rescueUntil` follows what the host says.
 */
import { panelSecret } from "@/lib/env";
import type { RescueRecord } from "@/lib/protocol/rescue";
import { open } from "@/lib/security/secret-box";
import { jobSecretPurpose } from "@/lib/server/vservers/provision/create-server";
import type { JobContext } from "../job-context";
import { hostStateLine, recordStateAndEvent, setState } from "./job-server-state";
import { loadJobServer } from "./server-row";

/** The row's rescue end as the host reports it (null: not in rescue). */
function untilOf(rescue: RescueRecord | null): Date | null {
  return rescue?.running ? new Date(rescue.until) : null;
}

/** Starts the rescue on the host. */
export async function rescueStartJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  if (server.suspended) throw new Error("the server is suspended");
  const sealed = typeof ctx.payload.sealedRootPassword === "string" ? ctx.payload.sealedRootPassword : null;
  if (!sealed) throw new Error("the one-time password is gone (the job was retried): start the rescue again");
  const sshKeys = Array.isArray(ctx.payload.sshKeys) ? ctx.payload.sshKeys.filter((k): k is string => typeof k === "string") : [];
  await setState(ctx, "STARTING");
  const { server: info, rescue } = await ctx.agent().startRescue({
    name: server.name,
    rootPassword: open(panelSecret(), jobSecretPurpose, sealed),
    sshKeys,
    minutes: Number(ctx.payload.minutes),
    timeoutSec: 30,
  });
  await recordStateAndEvent(ctx, server.id, info, { type: "server.rescue_started", data: { until: rescue?.until ?? "" } });
  await ctx.db.vServer.update({ where: { id: server.id }, data: { rescueUntil: untilOf(rescue) } });
  await ctx.log(hostStateLine(info, server.name, rescue ? ` in rescue mode until ${rescue.until}` : ""));
  return { state: info.state, rescueUntil: rescue?.until ?? null };
}

/** Ends the rescue on the host: the server boots from its own root. */
export async function rescueEndJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  await setState(ctx, "STARTING");
  const { server: info, rescue } = await ctx.agent().endRescue({ name: server.name, timeoutSec: 0 });
  await recordStateAndEvent(ctx, server.id, info, { type: "server.rescue_ended" });
  await ctx.db.vServer.update({ where: { id: server.id }, data: { rescueUntil: untilOf(rescue) } });
  await ctx.log(hostStateLine(info, server.name, "; it left rescue mode"));
  return { state: info.state };
}

/** Undoes the row's mark of a rescue that did not start (the host removed its record). */
export async function undoRescueStart(ctx: JobContext): Promise<void> {
  if (ctx.job.vserverId) await ctx.db.vServer.updateMany({ where: { id: ctx.job.vserverId }, data: { rescueUntil: null } });
}
