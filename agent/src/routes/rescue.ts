/** Handlers of the rescue operations: thin, the ops (ops/rescue) lock, record and revert. */
import { vserverInfo } from "../ops/info/vserver-info";
import { endRescue } from "../ops/rescue/end-rescue";
import { rescueStatus, startRescue } from "../ops/rescue/start-rescue";
import type { Handler } from "./handlers";
import { requireServer } from "./require-server";

/** startRescue. */
export const startRescueHandler: Handler<"startRescue"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  await startRescue(ctx.paths, input.name, { rootPassword: input.rootPassword, sshKeys: input.sshKeys, minutes: input.minutes, timeoutSec: input.timeoutSec }, "panel");
  return { server: vserverInfo(ctx.paths, input.name), rescue: rescueStatus(ctx.paths, input.name) };
};

/** endRescue: a server not in rescue is answered as it is. */
export const endRescueHandler: Handler<"endRescue"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  await endRescue(ctx.paths, input.name, input.timeoutSec);
  return { server: vserverInfo(ctx.paths, input.name), rescue: rescueStatus(ctx.paths, input.name) };
};

/** getRescue. */
export const getRescueHandler: Handler<"getRescue"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  return { server: vserverInfo(ctx.paths, input.name), rescue: rescueStatus(ctx.paths, input.name) };
};
