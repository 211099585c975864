/** Usage graphs of each host, for admins and support (each host's history from its agent). */
import { Card } from "@/components/ui/card";
import { UsageGraphs } from "./usage-graphs";

/** One collapsible card of graphs per host. */
export function HostUsageCards({ hosts }: { hosts: { id: string; name: string }[] }) {
  return (
    <Card title="Host usage" className="mb-6">
      {hosts.map((h, i) => (
        <details key={h.id} open={i === 0} className="mb-3" data-testid={`host-usage-${h.name}`}>
          <summary className="cursor-pointer text-sm font-medium">{h.name}</summary>
          <div className="mt-2">
            <UsageGraphs kind="host" source={`/hosts/${h.id}/usage`} />
          </div>
        </details>
      ))}
    </Card>
  );
}
