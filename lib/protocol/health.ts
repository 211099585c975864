/** Wire types of the agent's health/version operation. */
import { z } from "zod";

/** What an agent says about itself and its host. */
export const healthResult = z.object({
  agentVersion: z.string(),
  protocolVersion: z.number().int(),
  hostname: z.string(),
  kernel: z.string(),
  cgroup: z.enum(["v1", "v2", "hybrid", "none"]),
  cpuCores: z.number().int().nonnegative(),
  memoryMb: z.number().int().nonnegative(),
  uptimeSeconds: z.number().nonnegative(),
  startedAt: z.string(),
});

/** Parsed form of {@link healthResult}. */
export type HealthResult = z.infer<typeof healthResult>;
