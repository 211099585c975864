/**
 * The panel's name for a limit the host names: the agent speaks in its wire fields
 * (`limits.memory`, `limits.diskBytes`; its disk layer's own names are translated by the
 * agent, ops/limits/set-limits.ts), the panel's forms and API in row fields (`memoryMb`,
 * `diskMb`). One map, typed by both sides, so a host's refusal marks the slider the user
 * moved and a limit added to the contract cannot be forgotten here.
 */
import type { VserverLimits } from "@/lib/protocol/vservers";
import type { RowLimits } from "../server-limits";

const byAgentField: Record<keyof VserverLimits, keyof RowLimits> = {
  cpu: "cpuMilli",
  cpuWeight: "cpuWeight",
  memory: "memoryMb",
  swap: "swapMb",
  pids: "pids",
  diskBytes: "diskMb",
  diskInodes: "inodes",
  ioReadBps: "ioReadBps",
  ioWriteBps: "ioWriteBps",
  ioReadIops: "ioReadIops",
  ioWriteIops: "ioWriteIops",
  netRate: "netRateMbit",
};

/** The row field for an agent's error field (`limits.memory` → `memoryMb`); unknown ones pass through. */
export function rowFieldOf(agentField: string | undefined): string | undefined {
  if (!agentField) return undefined;
  const bare = agentField.replace(/^limits\./, "");
  return Object.hasOwn(byAgentField, bare) ? byAgentField[bare as keyof VserverLimits] : bare;
}
