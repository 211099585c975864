/**
 * Handlers of the usage operations: history from rrdcached, the sampler's latest values
 * and the traffic ledger. They answer UNSUPPORTED while the sampler does not run (a
 * daemon started without history, or rrdcached missing), never a guess.
 */
import { AgentFailure } from "../errors";
import { hostRrdName, serverRrdName } from "../ops/history/history-paths";
import { queryHistory } from "../ops/history/query-history";
import { hostSources, serverSources } from "../ops/history/rrd-schema";
import { runningSampler, type UsageSampler } from "../ops/history/usage-sampler";
import type { HostPaths } from "../config/paths";
import type { Handler } from "./handlers";
import { requireServer } from "./require-server";

function sampler(paths: HostPaths): UsageSampler {
  const s = runningSampler(paths);
  if (!s) throw new AgentFailure("UNSUPPORTED", "usage history is not running on this host (see the agent log)");
  return s;
}

/** getServerHistory. */
export const getServerHistory: Handler<"getServerHistory"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  return queryHistory(sampler(ctx.paths).client, serverRrdName(input.name), serverSources, input, input.metrics);
};

/** getHostHistory. */
export const getHostHistory: Handler<"getHostHistory"> = async (input, ctx) => queryHistory(sampler(ctx.paths).client, hostRrdName, hostSources, input);

/** getUsageSamples. */
export const getUsageSamples: Handler<"getUsageSamples"> = async (input, ctx) => {
  const s = sampler(ctx.paths);
  const wanted = input.names ? new Set(input.names) : null;
  const servers = [...s.latest].filter(([name]) => !wanted || wanted.has(name)).map(([name, l]) => ({ name, at: l.at, values: l.values }));
  return { interval: s.intervalSec, host: s.hostLatest, servers };
};

/** getTrafficTotals. */
export const getTrafficTotals: Handler<"getTrafficTotals"> = async (_input, ctx) => ({ totals: sampler(ctx.paths).ledger.totals() });
