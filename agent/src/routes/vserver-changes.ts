/** Handlers that change a server or run in it: exec, limits, addresses, root access, user namespace, restart policy (the reads are in vserver-reads.ts). */
import { execBounded } from "../ops/exec/exec-bounded";
import { vserverInfo } from "../ops/info/vserver-info";
import { setGuestRootAccess } from "../ops/build/root-access";
import { setLimits } from "../ops/limits/set-limits";
import { withServerLock } from "../ops/locks";
import { addVserverAddress, removeVserverAddress } from "../ops/manage/addresses";
import { readVserverConfig } from "../config/vserver/read-config";
import { setUserNamespace } from "../ops/userns/set-user-namespace";
import { setRestartPolicy } from "../ops/lifecycle/set-restart-policy";
import type { RequestContext } from "./context";
import type { Handler } from "./handlers";
import { requireServer } from "./require-server";

/** execInVserver. */
export const execInVserver: Handler<"execInVserver"> = async (input, ctx) => execBounded(ctx.paths, input.name, input);

/** setLimits. */
export const setLimitsHandler: Handler<"setLimits"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  return setLimits(ctx.paths, input.name, input.limits);
};

/** Changes the existing server `name` and answers with its info as it is after the change. */
async function changeThenInfo(ctx: RequestContext, name: string, change: () => Promise<unknown>) {
  requireServer(ctx.paths, name);
  await change();
  return vserverInfo(ctx.paths, name);
}

/** addAddress: live, answered with the server's info. */
export const addAddress: Handler<"addAddress"> = (input, ctx) => changeThenInfo(ctx, input.name, () => addVserverAddress(ctx.paths, input.name, input.address));

/** removeAddress: live, answered with the server's info. */
export const removeAddress: Handler<"removeAddress"> = (input, ctx) => changeThenInfo(ctx, input.name, () => removeVserverAddress(ctx.paths, input.name, input.address));

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
export const setUserNamespaceHandler: Handler<"setUserNamespace"> = (input, ctx) => changeThenInfo(ctx, input.name, () => setUserNamespace(ctx.paths, input.name, input.enabled));

/** setRestartPolicy: the server's info with the policy it now has. */
export const setRestartPolicyHandler: Handler<"setRestartPolicy"> = (input, ctx) => changeThenInfo(ctx, input.name, () => setRestartPolicy(ctx.paths, input.name, input.policy));
