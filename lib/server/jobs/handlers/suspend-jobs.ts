/** `server.suspend` and `server.unsuspend`: the host records (or lifts) the suspension, the row follows. */
import type { JobContext } from "../job-context";
import { loadJobServer } from "./server-row";
import { hostStateLine, recordStateAndEvent, setState } from "./job-server-state";

/**
 * Suspends: the host records the suspension (with its reason) before it stops the
 * server, so no agent restart or reboot starts it again, and refuses every start until
 * the suspension is lifted. The row was marked when the request was made.
 */
export async function suspendServerJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  if (!server.suspended) throw new Error("the suspension was lifted before it was carried out");
  await setState(ctx, "STOPPING");
  const info = await ctx.agent().setDesiredState({ name: server.name, state: "suspended", reason: server.suspendReason ?? undefined, timeoutSec: 30 });
  await recordStateAndEvent(ctx, server.id, info, { type: "server.suspended", data: { reason: server.suspendReason ?? "" } });
  await ctx.log(hostStateLine(info, server.name, " and suspended"));
  return { state: info.state };
}

/** Lifts a suspension on the host too; the server stays stopped until someone starts it. */
export async function unsuspendServerJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  if (server.suspended) throw new Error("the server was suspended again before the suspension was lifted");
  const info = await ctx.agent().setDesiredState({ name: server.name, state: "stopped", timeoutSec: 30 });
  await recordStateAndEvent(ctx, server.id, info, { type: "server.unsuspended" });
  await ctx.log(hostStateLine(info, server.name, "; it is no longer suspended"));
  return { state: info.state };
}
