/** The online state of a host as a badge. */
import { Badge } from "@/components/ui/badge";

/** Host status badge. */
export function HostStatusBadge({ status }: { status: "UNKNOWN" | "ONLINE" | "OFFLINE" }) {
  const tone = status === "ONLINE" ? "green" : status === "OFFLINE" ? "red" : "slate";
  const label = status === "ONLINE" ? "online" : status === "OFFLINE" ? "offline" : "unknown";
  return (
    <span data-testid="host-status" data-status={status}>
      <Badge tone={tone}>{label}</Badge>
    </span>
  );
}
