/**
 * Handlers of the provisioning operations (templates, reinstall, package updates,
 * vunify): thin; the slow ones check what can be checked at once (so a bad name or a
 * missing server is answered synchronously) and run the op as an operation with log
 * lines. Host paths are never accepted here (allowHostPaths stays false).
 */
import { AgentFailure } from "../errors";
import { checkVserverName } from "../config/vserver/names";
import { configExists } from "../config/vserver/read-config";
import { parseMethodArgs } from "../ops/build/method-args";
import { updatePackages } from "../ops/packages/update-packages";
import { reinstallVserver } from "../ops/reinstall/reinstall-vserver";
import { ensureServerStopped, exportVserver } from "../ops/templates/export-vserver";
import { deleteTemplate, listTemplates, readTemplate } from "../ops/templates/template-store";
import { readUnifyReport } from "../ops/unify/unify-report";
import { unifyVservers } from "../ops/unify/unify-vservers";
import type { HostPaths } from "../config/paths";
import type { Handler } from "./handlers";
import { operationStore } from "./operation-registry";

function requireServer(paths: HostPaths, name: string): void {
  checkVserverName(name);
  if (!configExists(paths, name)) throw new AgentFailure("NOT_FOUND", `no vserver named "${name}"`, "name");
}

/** listTemplates. */
export const listTemplatesHandler: Handler<"listTemplates"> = async (_input, ctx) => ({
  templates: listTemplates(ctx.paths).map(({ file: _file, ...t }) => t),
});

/** exportTemplate: a stopped server into the store, as an operation. */
export const exportTemplateHandler: Handler<"exportTemplate"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  // Answered at once (the operation checks again under the lock): a running server is refused without an operation record.
  ensureServerStopped(ctx.paths, input.name, "export");
  if (!input.replace && readTemplate(ctx.paths, input.template)) throw new AgentFailure("CONFLICT", `template "${input.template}" already exists`, "template");
  const id = operationStore(ctx.paths).start("export-template", input.name, async (op) => {
    await exportVserver(ctx.paths, { name: input.name, template: input.template, description: input.description, replace: input.replace, log: op.log, progress: op.progress });
  });
  return { operationId: id, name: input.name };
};

/** deleteTemplate. */
export const deleteTemplateHandler: Handler<"deleteTemplate"> = async (input, ctx) => {
  deleteTemplate(ctx.paths, input.template);
  return { template: input.template };
};

/** reinstallVserver: validated at once, run as an operation. */
export const reinstallVserverHandler: Handler<"reinstallVserver"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  parseMethodArgs(input.method, input.methodArgs, { allowHostPaths: false });
  const id = operationStore(ctx.paths).start("reinstall", input.name, async (op) => {
    await reinstallVserver(ctx.paths, {
      name: input.name,
      method: input.method,
      methodArgs: input.methodArgs,
      rootPassword: input.rootPassword,
      sshKeys: input.sshKeys,
      start: input.start,
      timeoutSec: input.timeoutSec,
      log: op.log,
      progress: op.progress,
    });
  });
  return { operationId: id, name: input.name };
};

/** updatePackages: the guest's own manager, its output as log lines. */
export const updatePackagesHandler: Handler<"updatePackages"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  const id = operationStore(ctx.paths).start("update-packages", input.name, async (op) => {
    await updatePackages(ctx.paths, input.name, op.log, op.progress);
  });
  return { operationId: id, name: input.name };
};

/** unifyVservers: all servers unless named. */
export const unifyVserversHandler: Handler<"unifyVservers"> = async (input, ctx) => {
  for (const n of input.names ?? []) requireServer(ctx.paths, n);
  const id = operationStore(ctx.paths).start("unify", null, async (op) => {
    await unifyVservers(ctx.paths, { names: input.names, all: !input.names?.length, dryRun: input.dryRun, log: op.log, progress: op.progress });
  });
  return { operationId: id, name: null };
};

/** getUnifyReport. */
export const getUnifyReportHandler: Handler<"getUnifyReport"> = async (_input, ctx) => ({ report: readUnifyReport(ctx.paths) });
