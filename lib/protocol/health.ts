/** Wire types of the agent's health/version operation. */
import { z } from "zod";

/** What a host can and cannot do, so the panel says so before a user tries. */
export const hostCapabilities = z.object({
  /** How new servers' disks are limited here: a project quota, a loop image, or not at all. */
  diskLimits: z.enum(["project", "loop", "none"]),
  /** Why that mode (the disk layer's reason), for the admin. */
  diskReason: z.string(),
  /** A running server's disk can grow without a stop (a project quota always can; a loop
   * image needs an online ext4 resize, which needs CAP_SYS_RESOURCE in the agent). */
  onlineDiskGrow: z.boolean(),
  /** Whether servers see their own memory, CPUs, uptime and load in /proc (LXCFS), and
   * why not; absent from agents older than this field. */
  ownView: z.object({ mode: z.enum(["lxcfs", "none"]), reason: z.string() }).optional(),
  /** What `criu check` (Debian's criu, which live moves need) says on this host: whether it
   * passes, and its reason when not; absent from agents older than this field. */
  criuCheck: z.object({ passes: z.boolean(), detail: z.string() }).optional(),
});

/** Parsed form of {@link hostCapabilities}. */
export type HostCapabilities = z.infer<typeof hostCapabilities>;

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
  capabilities: hostCapabilities,
});

/** Parsed form of {@link healthResult}. */
export type HealthResult = z.infer<typeof healthResult>;
