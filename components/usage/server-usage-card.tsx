/** The server page's usage history: graphs over time with a live tail. */
import { Card } from "@/components/ui/card";
import { UsageGraphs } from "./usage-graphs";

/** The card. */
export function ServerUsageCard({ serverId }: { serverId: string }) {
  return (
    <Card title="Usage history" className="mt-6">
      <UsageGraphs kind="server" source={`/servers/${serverId}/usage`} serverId={serverId} />
    </Card>
  );
}
