/**
 * Carries out a {@link ResizePlan} on the host. Without a restart it is one agent call
 * (the agent applies every limit or, on a refusal, none). With a restart: the live limits
 * first, then stop, the disk, start; if the disk step is refused (the files do not fit a
 * smaller disk, no space on the host), the live limits are put back and the server is
 * started again, so a refusal of one limit changes none.
 */
import type { AgentClient } from "@/lib/agent-client";
import type { VserverLimitsPatch } from "@/lib/protocol/vservers";
import { type RowLimits, toAgentLimits } from "../server-limits";
import type { ResizePlan } from "./plan-resize";

/** The values of `keys` in `limits`: what puts a patch back. */
function restoreOf(previous: RowLimits, patch: VserverLimitsPatch): VserverLimitsPatch {
  const old = toAgentLimits(previous);
  return Object.fromEntries(Object.keys(patch).map((k) => [k, old[k as keyof typeof old]]));
}

/** Applies `plan` to server `name`, whose limits were `previous`; `log` narrates the steps. */
export async function applyResize(agent: AgentClient, name: string, plan: ResizePlan, previous: RowLimits, log: (line: string) => Promise<void> = async () => undefined): Promise<void> {
  const hasLive = Object.keys(plan.livePatch).length > 0;
  if (plan.disk !== "restart") {
    const patch = { ...plan.livePatch, ...(plan.diskBytes !== null ? { diskBytes: plan.diskBytes } : {}) };
    if (Object.keys(patch).length === 0) return;
    await agent.setLimits({ name, limits: patch });
    await log(`applied ${Object.keys(patch).join(", ")}${plan.disk === "live" ? " while it runs" : ""}`);
    return;
  }
  if (hasLive) {
    await agent.setLimits({ name, limits: plan.livePatch });
    await log(`applied ${Object.keys(plan.livePatch).join(", ")} while it runs`);
  }
  await log("stopping the server to change its disk");
  await agent.stopVserver({ name, timeoutSec: 30 });
  try {
    await agent.setLimits({ name, limits: { diskBytes: plan.diskBytes } });
    await log(`disk is now ${Math.round((plan.diskBytes ?? 0) / 1024 / 1024)} MB`);
  } catch (error) {
    await log(`the disk change was refused: ${(error as Error).message}; putting everything back`);
    if (hasLive) await agent.setLimits({ name, limits: restoreOf(previous, plan.livePatch) }).catch(() => undefined);
    await agent.startVserver({ name }).catch(() => undefined);
    throw error;
  }
  await agent.startVserver({ name });
  await log("started again");
}
