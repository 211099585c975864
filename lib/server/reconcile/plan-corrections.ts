/**
 * What the reconciler does about one server: compares what the panel decided (its row)
 * with what the host reports (`listVservers`) and says, without doing it, which
 * corrections to make, which decisions made on the host to adopt, and what to report.
 * Pure, so every rule is tested without a host. The policy (docs/desired-state.md):
 *
 * - A suspension is the business's decision and always wins: a host that does not hold
 *   it (or holds one the panel lifted) is set to the panel's state, which stops the
 *   server. The same for any desired state the host records as the panel's or the
 *   build's: a record that differs there is a panel write that was lost.
 * - A decision taken on the host after the panel's last one — `vserver NAME stop|start`
 *   by an admin (by "cli"), a halt from inside (by "guest") — is adopted: the panel's
 *   record follows it, audited.
 * - Live limits (CPU, memory, swap, processes, IO, network rate) and addresses are the
 *   panel's: drift is corrected. The disk limit is reported, never changed here (a
 *   change may need a stop, which only a person decides).
 * - The restart policy is the panel's once decided there (null: the host's is recorded).
 * - A server that should run but does not is reported with its host's record; the host
 *   (its boot start and restart policy) starts servers, not the reconciler.
 */
import type { InterfaceAddress } from "@/lib/protocol/names";
import type { DesiredState, RestartPolicy, VserverInfo, VserverLimits, VserverLimitsPatch } from "@/lib/protocol/vservers";

/** The panel's side of one server. */
export interface PanelServer {
  name: string;
  desiredState: "RUNNING" | "STOPPED";
  desiredChangedAt: Date;
  suspended: boolean;
  suspendReason: string | null;
  limits: VserverLimits;
  interfaces: InterfaceAddress[];
  /** Decided in the panel; null: not yet (the host's value is recorded, not changed). */
  restartPolicy: RestartPolicy | null;
}

/** One thing to do about a server. */
export type Correction =
  | { kind: "set-desired"; state: DesiredState["state"]; reason?: string; from: DesiredState["state"] | null }
  | { kind: "adopt-desired"; state: "RUNNING" | "STOPPED"; by: DesiredState["by"]; at: string | null }
  | { kind: "set-limits"; patch: VserverLimitsPatch; from: VserverLimitsPatch }
  | { kind: "add-address"; address: InterfaceAddress }
  | { kind: "remove-address"; address: InterfaceAddress }
  | { kind: "set-restart-policy"; policy: RestartPolicy; from: RestartPolicy };

/** What the reconciler found about one server. */
export interface ServerPlan {
  corrections: Correction[];
  /** Drift it leaves to people, one line each (empty: nothing to report). */
  reports: string[];
}

/** The limits a running server can change without a stop; the disk is not among them. */
export const liveLimitKeys = ["cpu", "cpuWeight", "memory", "swap", "pids", "ioReadBps", "ioWriteBps", "ioReadIops", "ioWriteIops", "netRate"] as const;

const addressKey = (a: InterfaceAddress): string => `${a.address.toLowerCase()}/${a.prefix}`;

/** The host's desired state that the panel's row stands for. */
export function panelDesired(s: Pick<PanelServer, "suspended" | "desiredState">): DesiredState["state"] {
  return s.suspended ? "suspended" : s.desiredState === "RUNNING" ? "running" : "stopped";
}

function planDesired(panel: PanelServer, host: VserverInfo): { corrections: Correction[]; reports: string[] } {
  const want = panelDesired(panel);
  const have = host.desired;
  if (have?.state === want) {
    if (want === "running" && host.state !== "running") {
      const last = host.lastExit;
      if (last?.action === "restart-scheduled") {
        return { corrections: [], reports: [`stopped by a crash (${last.cause} at ${last.at}); its restart policy starts it again after ${last.restartDelaySec} s`] };
      }
      return { corrections: [], reports: [`should be running but is stopped (the host records "running" by ${have.by}${have.at ? ` since ${have.at}` : ""})`] };
    }
    return { corrections: [], reports: [] };
  }
  const decidedOnHost = have !== null && (have.by === "cli" || have.by === "guest") && have.state !== "suspended";
  const later = have?.at ? Date.parse(have.at) > panel.desiredChangedAt.getTime() : false;
  if (decidedOnHost && later && !panel.suspended) {
    return { corrections: [{ kind: "adopt-desired", state: have.state === "running" ? "RUNNING" : "STOPPED", by: have.by, at: have.at }], reports: [] };
  }
  if (have === null && ((want === "running") === (host.state === "running"))) {
    // A host without a record that already does what the panel wants: write the record
    // so that a reboot keeps it, nothing else changes.
    return { corrections: [{ kind: "set-desired", state: want, from: null }], reports: [] };
  }
  return {
    corrections: [{ kind: "set-desired", state: want, ...(want === "suspended" && panel.suspendReason ? { reason: panel.suspendReason } : {}), from: have?.state ?? null }],
    reports: [],
  };
}

function planLimits(panel: PanelServer, host: VserverInfo): { corrections: Correction[]; reports: string[] } {
  const patch: VserverLimitsPatch = {};
  const from: VserverLimitsPatch = {};
  for (const key of liveLimitKeys) {
    if (panel.limits[key] !== host.limits[key]) {
      (patch as Record<string, unknown>)[key] = panel.limits[key];
      (from as Record<string, unknown>)[key] = host.limits[key];
    }
  }
  const reports = panel.limits.diskBytes !== host.limits.diskBytes ? [`the host limits the disk to ${host.limits.diskBytes ?? "nothing"} bytes, the panel's record says ${panel.limits.diskBytes ?? "unlimited"}`] : [];
  return { corrections: Object.keys(patch).length ? [{ kind: "set-limits", patch, from }] : [], reports };
}

function planAddresses(panel: PanelServer, host: VserverInfo): Correction[] {
  const want = new Map(panel.interfaces.map((a) => [addressKey(a), a]));
  const have = new Map(host.interfaces.map((a) => [addressKey(a), a]));
  return [
    ...[...want].filter(([k]) => !have.has(k)).map(([, address]): Correction => ({ kind: "add-address", address })),
    ...[...have].filter(([k]) => !want.has(k)).map(([, address]): Correction => ({ kind: "remove-address", address })),
  ];
}

function planRestartPolicy(panel: PanelServer, host: VserverInfo): Correction[] {
  return panel.restartPolicy !== null && panel.restartPolicy !== host.restartPolicy ? [{ kind: "set-restart-policy", policy: panel.restartPolicy, from: host.restartPolicy }] : [];
}

/** The plan for one server the host reports. */
export function planCorrections(panel: PanelServer, host: VserverInfo): ServerPlan {
  const desired = planDesired(panel, host);
  const limits = planLimits(panel, host);
  return {
    corrections: [...desired.corrections, ...limits.corrections, ...planAddresses(panel, host), ...planRestartPolicy(panel, host)],
    reports: [...desired.reports, ...limits.reports],
  };
}
