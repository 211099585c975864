"use client";
/**
 * "Empty host…" (admins): the host goes into maintenance and its servers move to the
 * other hosts. The box below it lets servers whose addresses' pools no other host has
 * take new addresses from their target's pools (off by default: their addresses, and
 * the DNS pointing at them, change); without it such servers stay and the job names them.
 */
import { useState } from "react";
import { ActionButton } from "@/components/ui/action-button";
import { evacuateHostAction } from "@/lib/actions/hosts/evacuate-host-action";

/** The control for host `hostId`. */
export function EvacuateHostButton({ hostId, hostName, servers }: { hostId: string; hostName: string; servers: number }) {
  const [newAddresses, setNewAddresses] = useState(false);
  return (
    <span className="inline-flex flex-col items-start gap-1" data-testid={`evacuate-${hostName}`}>
      <ActionButton
        look="secondary"
        action={() => evacuateHostAction(hostId, newAddresses)}
        confirm={{
          title: `Move every server off ${hostName}?`,
          consequence: `The host goes into maintenance (no new servers) and its ${servers} server(s) move to other hosts, two at a time: running ones are copied while they run and stop only for a last short round. ${newAddresses ? "A server whose addresses' pools no other host has gets new addresses from its new host's pools; its old ones return to their pool." : "A server no host can take (also for its addresses' pools) stays and is named in the job."}`,
          confirmLabel: "Empty host",
          look: "primary",
        }}
      >
        Empty host…
      </ActionButton>
      <label className="flex items-center gap-1 text-xs text-slate-500">
        <input type="checkbox" checked={newAddresses} onChange={(e) => setNewAddresses(e.target.checked)} />
        new addresses where a pool is not on other hosts
      </label>
    </span>
  );
}
