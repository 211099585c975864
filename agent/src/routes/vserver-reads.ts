/** Handlers that read a server or the host's servers and processes: info, usage, vps, vserver-stat. */
import { listVserverInfo, vserverInfo } from "../ops/info/vserver-info";
import { readUsage } from "../ops/limits/read-usage";
import { listProcesses as listProcessRows } from "../ops/procs/list-processes";
import { vserverStat as statRows } from "../ops/procs/vserver-stat";
import { readVserverConfig } from "../config/vserver/read-config";
import { log } from "../http/log";
import type { Handler } from "./handlers";

/** listVservers: servers whose config is broken are logged and left out. */
export const listVservers: Handler<"listVservers"> = async (_input, ctx) => ({
  vservers: listVserverInfo(ctx.paths, (name, e) => log("warn", "unreadable vserver config", { name, error: String((e as Error)?.message ?? e) })),
});

/** getVserver. */
export const getVserver: Handler<"getVserver"> = async (input, ctx) => vserverInfo(ctx.paths, input.name);

/** getUsage. */
export const getUsage: Handler<"getUsage"> = async (input, ctx) => readUsage(ctx.paths, input.name);

/** listProcesses (vps). */
export const listProcesses: Handler<"listProcesses"> = async (input, ctx) => {
  if (input.name !== undefined) readVserverConfig(ctx.paths, input.name);
  return { processes: await listProcessRows(ctx.paths, input.name, { hostCommandLines: input.hostCommandLines }) };
};

/** vserverStat. */
export const vserverStat: Handler<"vserverStat"> = async (_input, ctx) => ({ vservers: await statRows(ctx.paths) });
