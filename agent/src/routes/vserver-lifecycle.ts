/**
 * Handlers of the lifecycle operations: thin, they call the ops (which validate, lock
 * and revert) and map "already running/stopped" to the idempotent answers the contract
 * promises for start and stop.
 */
import type { VserverInfo } from "@/lib/protocol/vservers";
import { AgentFailure } from "../errors";
import { buildVserver } from "../ops/build/build-vserver";
import { parseMethodArgs } from "../ops/build/method-args";
import { vserverInfo } from "../ops/info/vserver-info";
import { recordDesired, recordStopped } from "../ops/lifecycle/desired-state";
import { restartVserver } from "../ops/lifecycle/restart-vserver";
import { setDesiredState } from "../ops/lifecycle/set-desired-state";
import { runVserver } from "../ops/lifecycle/run-vserver";
import { startLocked, ensureStopped } from "../ops/lifecycle/start-vserver";
import { stopLocked, waitMonitor } from "../ops/lifecycle/stop-vserver";
import { withServerLock } from "../ops/locks";
import { refillStartHelperLater } from "../ops/runtime/start-helper-pool";
import { deleteVserver } from "../ops/manage/delete-vserver";
import { initAlive, readRunState, type RunState } from "../ops/runtime/run-state";
import { checkVserverName } from "../config/vserver/names";
import { configExists } from "../config/vserver/read-config";
import { Timings } from "../ops/runtime/timings";
import { log } from "../http/log";
import type { Handler } from "./handlers";
import { operationStore } from "./operation-registry";
import { requireServer } from "./require-server";

/** createVserver: validates at once (errors come back synchronously), builds in the background. */
export const createVserver: Handler<"createVserver"> = async (input, ctx) => {
  checkVserverName(input.name);
  // A taken name is answered at once; everything else is checked again under the lock.
  if (configExists(ctx.paths, input.name)) throw new AgentFailure("CONFLICT", `vserver "${input.name}" already exists`, "name");
  // Method options are answered at once too (host paths are never accepted here).
  parseMethodArgs(input.method, input.methodArgs, { allowHostPaths: false });
  const store = operationStore(ctx.paths);
  const id = store.start("build", input.name, async (op) => {
    await buildVserver(ctx.paths, {
      name: input.name,
      method: input.method,
      methodArgs: input.methodArgs,
      hostname: input.hostname,
      domainname: input.domainname,
      context: input.context,
      limits: input.limits,
      interfaces: input.interfaces,
      nameservers: input.nameservers,
      startOnBoot: input.startOnBoot,
      rootPassword: input.rootPassword,
      sshKeys: input.sshKeys,
      userNamespace: input.userNamespace,
      log: op.log,
      progress: op.progress,
    });
    if (input.start) {
      op.log("starting");
      await withServerLock(ctx.paths, input.name, async () => {
        await startLocked(ctx.paths, input.name);
        recordDesired(ctx.paths, input.name, "running", "panel");
      });
      op.log("started");
    }
  });
  return { operationId: id, name: input.name };
};

/** getOperation. */
export const getOperation: Handler<"getOperation"> = async (input, ctx) => operationStore(ctx.paths).get(input.id, input.sinceLine);

/** startVserver: a running server is answered as it is; either way "running" is recorded. */
export const startVserver: Handler<"startVserver"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  try {
    await withServerLock(ctx.paths, input.name, async () => {
      const state = readRunState(ctx.paths, input.name);
      if (!(state && initAlive(state))) {
        await ensureStopped(ctx.paths, input.name);
        await startLocked(ctx.paths, input.name);
      }
      recordDesired(ctx.paths, input.name, "running", "panel");
    });
  } finally {
    refillStartHelperLater();
  }
  return vserverInfo(ctx.paths, input.name);
};

/** stopVserver: a stopped server is answered as it is. */
export const stopVserver: Handler<"stopVserver"> = async (input, ctx): Promise<VserverInfo> => {
  vserverInfo(ctx.paths, input.name);
  let stopped: RunState | undefined;
  try {
    stopped = await withServerLock(ctx.paths, input.name, () => {
      recordStopped(ctx.paths, input.name, "panel");
      return stopLocked(ctx.paths, input.name, input.timeoutSec);
    });
  } catch (e) {
    if (!(e instanceof AgentFailure && e.code === "WRONG_STATE")) throw e;
  }
  if (stopped) await waitMonitor(stopped);
  return vserverInfo(ctx.paths, input.name);
};

/** restartVserver. */
export const restartVserverHandler: Handler<"restartVserver"> = async (input, ctx) => {
  vserverInfo(ctx.paths, input.name);
  await restartVserver(ctx.paths, input.name, input.timeoutSec, "panel");
  return vserverInfo(ctx.paths, input.name);
};

/** setDesiredState: recorded on the host, then converged. */
export const setDesiredStateHandler: Handler<"setDesiredState"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  await setDesiredState(ctx.paths, input.name, { state: input.state, reason: input.reason, timeoutSec: input.timeoutSec }, "panel");
  return vserverInfo(ctx.paths, input.name);
};

/** runVserver (with VSERVER_TIMINGS=1 the phases of each start go to the log). */
export const runVserverHandler: Handler<"runVserver"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  const timings = process.env.VSERVER_TIMINGS === "1" ? new Timings() : undefined;
  const result = await runVserver(ctx.paths, input.name, input.argv, { timeoutMs: input.timeoutMs, timings });
  if (timings) log("info", "run timings", { name: input.name, requestId: ctx.requestId, phases: timings.phases });
  return result;
};

/** deleteVserver (refuses a running server with WRONG_STATE). */
export const deleteVserverHandler: Handler<"deleteVserver"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  await deleteVserver(ctx.paths, input.name);
  return { name: input.name };
};
