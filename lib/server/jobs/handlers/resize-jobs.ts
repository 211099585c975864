/**
 * `server.resize` (sliders whose disk change needs a stop) and `server.change-plan`:
 * both plan the change against what the host says now (running or not) and carry it
 * out with apply-resize.ts; a plan change also adds the addresses the new plan comes
 * with. Each step can run again after an interruption: limits are set to values, not
 * by differences, and an address the host already has is not added twice.
 */
import { z } from "zod";
import { allocateAddresses, releaseAddresses, type AllocatedAddress } from "@/lib/server/ip-pools/allocate-addresses";
import { applyResize } from "@/lib/server/vservers/resize/apply-resize";
import { hostCapabilitiesOf } from "@/lib/server/hosts/host-capabilities";
import { planResize } from "@/lib/server/vservers/resize/plan-resize";
import { rowLimitsPayload, type RowLimits } from "@/lib/server/vservers/server-limits";
import type { JobContext } from "../job-context";
import { recordEvent } from "@/lib/server/events/record-event";
import { interfacesOf, loadJobServer, recordAgentState } from "./server-row";

/**
 * Payload of both jobs: the limits before and the limits to reach (the row holds the
 * latter from the moment the change was asked for), and for a plan change the plans and
 * the address counts.
 */
const resizePayload = z.object({
  before: rowLimitsPayload,
  limits: rowLimitsPayload,
  planId: z.string().optional(),
  fromPlanId: z.string().nullable().optional(),
  addresses: z.object({ ipv4: z.number().int().min(0), ipv6: z.number().int().min(0) }).optional(),
});

async function resize(ctx: JobContext, before: RowLimits, after: RowLimits): Promise<{ state: string }> {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  const host = await ctx.db.host.findUniqueOrThrow({ where: { id: server.hostId } });
  const agent = ctx.agent();
  const now = await agent.getVserver({ name: server.name });
  const plan = planResize(before, after, now.state === "running", hostCapabilitiesOf(host.capabilities), host.name);
  if (plan.refusal) throw new Error(`${plan.refusal.field}: ${plan.refusal.message}`);
  if (plan.disk === "restart") await ctx.log(plan.restartNotice!);
  await applyResize(agent, server.name, plan, before, (line) => ctx.log(line));
  const info = await agent.getVserver({ name: server.name });
  await recordAgentState(ctx.db, server.id, info);
  return { state: info.state };
}

/**
 * After a failed resize or plan change: the row goes back to the limits (and plan) it had
 * before the change was asked for, as the host has them (apply-resize.ts put them back).
 */
export async function undoResize(ctx: JobContext): Promise<void> {
  const payload = resizePayload.safeParse(ctx.payload);
  if (!payload.success || !ctx.job.vserverId) return;
  const { before, fromPlanId, planId } = payload.data;
  await ctx.db.vServer.updateMany({ where: { id: ctx.job.vserverId }, data: { ...before, ...(planId !== undefined && fromPlanId !== undefined ? { planId: fromPlanId } : {}) } });
  await ctx.log("the server's record is back to what it had before");
}

/** Applies slider values whose disk change needs a stop and a start (confirmed by the user). */
export async function resizeServerJob(ctx: JobContext) {
  const payload = resizePayload.parse(ctx.payload);
  const out = await resize(ctx, payload.before, payload.limits);
  await ctx.log(`the new resources are in place; the server is ${out.state}`);
  return out;
}

/**
 * Moves the server to another plan: the addresses the plan adds are taken from the pools
 * first (so a pool that ran dry fails the job before anything changed), then the limits,
 * then the addresses go onto the host; a failure gives this attempt's addresses back.
 */
export async function changePlanJob(ctx: JobContext) {
  const payload = resizePayload.parse(ctx.payload);
  if (!payload.planId) throw new Error("this plan change names no plan");
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  const want = payload.addresses ?? { ipv4: 0, ipv6: 0 };
  const have = { IPV4: server.addresses.filter((a) => a.family === "IPV4").length, IPV6: server.addresses.filter((a) => a.family === "IPV6").length };
  const added: AllocatedAddress[] = [];
  try {
    added.push(...(await allocateAddresses(ctx.db, server.hostId, "IPV4", Math.max(0, want.ipv4 - have.IPV4), server.id)));
    added.push(...(await allocateAddresses(ctx.db, server.hostId, "IPV6", Math.max(0, want.ipv6 - have.IPV6), server.id)));
    const out = await resize(ctx, payload.before, payload.limits);
    // This attempt's addresses and an interrupted one's, minus what the host already has.
    const withPools = await ctx.db.ipAddress.findMany({ where: { vserverId: server.id }, include: { pool: true } });
    const onHost = new Set((await ctx.agent().getVserver({ name: server.name })).interfaces.map((i) => `${i.address}/${i.prefix}`));
    for (const iface of interfacesOf(withPools)) {
      if (onHost.has(`${iface.address}/${iface.prefix}`)) continue;
      await ctx.agent().addAddress({ name: server.name, address: iface });
      await ctx.log(`added ${iface.address}/${iface.prefix}`);
    }
    // The row has held the new plan since it was asked for; the event says it is in place.
    const plan = await ctx.db.plan.findUnique({ where: { id: payload.planId }, select: { name: true } });
    await recordEvent(ctx.db, { type: "server.plan_changed", vserverId: server.id, data: { plan: plan?.name ?? payload.planId } });
    await ctx.log(`the server is on its new plan and ${out.state}`);
    return { ...out, addedAddresses: added.map((a) => a.address) };
  } catch (error) {
    await releaseAddresses(ctx.db, added.map((a) => a.id));
    throw error;
  }
}
