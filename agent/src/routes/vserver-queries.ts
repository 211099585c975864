/** Handlers that read or adjust a server: info, exec, limits, usage, addresses, root access, vps. */
import { execBounded } from "../ops/exec/exec-bounded";
import { setGuestRootAccess } from "../ops/build/root-access";
import { listVserverInfo, vserverInfo } from "../ops/info/vserver-info";
import { readUsage } from "../ops/limits/read-usage";
import { setLimits } from "../ops/limits/set-limits";
import { withServerLock } from "../ops/locks";
import { addVserverAddress, removeVserverAddress } from "../ops/manage/addresses";
import { listProcesses as listProcessRows } from "../ops/procs/list-processes";
import { vserverStat as statRows } from "../ops/procs/vserver-stat";
import { readVserverConfig } from "../config/vserver/read-config";
import { setUserNamespace } from "../ops/userns/set-user-namespace";
import { setRestartPolicy } from "../ops/lifecycle/set-restart-policy";
import { log } from "../server/log";
import type { Handler } from "./handlers";
import { requireServer } from "./require-server";

/** listVservers: servers whose config is broken are logged and left out. */
export const listVservers: Handler<"listVservers"> = async (_input, ctx) => ({
  vservers: listVserverInfo(ctx.paths, (name, e) => log("warn", "unreadable vserver config", { name, error: String((e as Error)?.message ?? e) })),
});

/** getVserver. */
export const getVserver: Handler<"getVserver"> = async (input, ctx) => vserverInfo(ctx.paths, input.name);

/** execInVserver. */
export const execInVserver: Handler<"execInVserver"> = async (input, ctx) => execBounded(ctx.paths, input.name, input);

/** setLimits. */
export const setLimitsHandler: Handler<"setLimits"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  return setLimits(ctx.paths, input.name, input.limits);
};

/** getUsage. */
export const getUsage: Handler<"getUsage"> = async (input, ctx) => readUsage(ctx.paths, input.name);

/** addAddress. */
export const addAddress: Handler<"addAddress"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  await addVserverAddress(ctx.paths, input.name, input.address);
  return vserverInfo(ctx.paths, input.name);
};

/** removeAddress. */
export const removeAddress: Handler<"removeAddress"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  await removeVserverAddress(ctx.paths, input.name, input.address);
  return vserverInfo(ctx.paths, input.name);
};

/** setRootAccess: through guestfs, under the server's lock. */
export const setRootAccess: Handler<"setRootAccess"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  await withServerLock(ctx.paths, input.name, async () => {
    const cfg = readVserverConfig(ctx.paths, input.name);
    setGuestRootAccess(cfg.root, input, cfg.uidmap?.shifted ? cfg.uidmap.start : 0);
  });
  return { name: input.name };
};

/** setUserNamespace: the server's info with the mode it starts with next. */
export const setUserNamespaceHandler: Handler<"setUserNamespace"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  await setUserNamespace(ctx.paths, input.name, input.enabled);
  return vserverInfo(ctx.paths, input.name);
};

/** setRestartPolicy: the server's info with the policy it now has. */
export const setRestartPolicyHandler: Handler<"setRestartPolicy"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  await setRestartPolicy(ctx.paths, input.name, input.policy);
  return vserverInfo(ctx.paths, input.name);
};

/** listProcesses (vps). */
export const listProcesses: Handler<"listProcesses"> = async (input, ctx) => {
  if (input.name !== undefined) readVserverConfig(ctx.paths, input.name);
  return { processes: await listProcessRows(ctx.paths, input.name, { hostCommandLines: input.hostCommandLines }) };
};

/** vserverStat. */
export const vserverStat: Handler<"vserverStat"> = async (_input, ctx) => ({ vservers: await statRows(ctx.paths) });
