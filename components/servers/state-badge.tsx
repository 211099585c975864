/** A server's state as a coloured badge. */
import { Badge, type BadgeTone } from "@/components/ui/badge";

const tones: Record<string, BadgeTone> = { RUNNING: "green", STOPPED: "slate", ERROR: "red", BUILDING: "indigo", STARTING: "indigo", STOPPING: "amber", DELETING: "amber", PENDING: "slate" };

/** State badge (with "suspended" when it is). */
export function StateBadge({ state, suspended }: { state: string; suspended?: boolean }) {
  return (
    <span className="inline-flex gap-1" data-testid="server-state" data-state={state}>
      <Badge tone={tones[state] ?? "slate"}>{state.toLowerCase()}</Badge>
      {suspended ? <Badge tone="red">suspended</Badge> : null}
    </span>
  );
}
