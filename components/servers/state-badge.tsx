/** A server's state as a coloured badge. */
import { Badge, type BadgeTone } from "@/components/ui/badge";

const tones: Record<string, BadgeTone> = { RUNNING: "green", STOPPED: "slate", ERROR: "red", BUILDING: "indigo", STARTING: "indigo", STOPPING: "amber", DELETING: "amber", PENDING: "slate" };

/** State badge (with "suspended" and "rescue" when it is). */
export function StateBadge({ state, suspended, rescue }: { state: string; suspended?: boolean; rescue?: boolean }) {
  return (
    <span className="inline-flex gap-1" data-testid="server-state" data-state={state} data-rescue={rescue ? "true" : "false"}>
      <Badge tone={tones[state] ?? "slate"}>{state.toLowerCase()}</Badge>
      {suspended ? <Badge tone="red">suspended</Badge> : null}
      {rescue ? <Badge tone="amber">rescue</Badge> : null}
    </span>
  );
}
