/** The server page's usage: the billing month's traffic against the plan, and graphs over time with a live tail. */
import { Card } from "@/components/ui/card";
import { load } from "@/lib/server/load";
import { currentActor } from "@/lib/server/auth/current-actor";
import { readServerTraffic } from "@/lib/server/usage/read-server-traffic";
import { TrafficBar } from "./traffic-bar";
import { UsageGraphs } from "./usage-graphs";

/** The card (loads the traffic for the signed-in user; the graphs load in the browser). */
export async function ServerUsageCard({ serverId }: { serverId: string }) {
  const traffic = await load(readServerTraffic, await currentActor(), serverId);
  return (
    <Card title="Usage history" className="mt-6">
      <TrafficBar traffic={traffic} />
      <UsageGraphs kind="server" source={`/servers/${serverId}/usage`} serverId={serverId} />
    </Card>
  );
}
