/**
 * The panel's name for a limit the host names: the agent speaks in its wire fields
 * (`limits.memory`, `limits.diskBytes`, the disk layer's `bytes`), the panel's forms and
 * API in row fields (`memoryMb`, `diskMb`). One map, so a host's refusal marks the slider
 * the user moved.
 */
const byAgentField: Record<string, string> = {
  cpu: "cpuMilli",
  cpuWeight: "cpuWeight",
  memory: "memoryMb",
  swap: "swapMb",
  pids: "pids",
  diskBytes: "diskMb",
  bytes: "diskMb",
  diskInodes: "inodes",
  inodes: "inodes",
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
  return byAgentField[bare] ?? bare;
}
