/**
 * Slow agent operations that follow a server's life after its build: reinstall,
 * package updates, template export, and a host's unification. Each starts the agent's
 * operation (once: a resumed job follows the operation it already started) and copies
 * its log and progress into the job.
 */
import { panelSecret } from "@/lib/env";
import { open } from "@/lib/security/secret-box";
import { jobSecretPurpose } from "@/lib/server/vservers/provision/create-server";
import { syncHostTemplates } from "@/lib/server/templates/sync-templates";
import type { JobContext } from "../job-context";
import { startOnce } from "./start-operation-once";
import { loadJobServer, recordAgentState } from "./server-row";

/** `server.reinstall`: a fresh root by a build method; name, context, addresses and limits stay. */
export async function reinstallServerJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  const sealed = typeof ctx.payload.sealedRootPassword === "string" ? ctx.payload.sealedRootPassword : undefined;
  await ctx.db.vServer.update({ where: { id: server.id }, data: { state: "BUILDING", stateChangedAt: new Date() } });
  await startOnce(ctx, () =>
    ctx.agent().reinstallVserver({
      name: server.name,
      method: ctx.payload.method as "busybox",
      methodArgs: Array.isArray(ctx.payload.methodArgs) ? (ctx.payload.methodArgs as string[]) : [],
      rootPassword: sealed ? open(panelSecret(), jobSecretPurpose, sealed) : undefined,
      sshKeys: Array.isArray(ctx.payload.sshKeys) && ctx.payload.sshKeys.length ? ctx.payload.sshKeys.filter((k): k is string => typeof k === "string") : undefined,
      start: true,
    }),
  );
  const info = await ctx.agent().getVserver({ name: server.name });
  await ctx.db.vServer.update({ where: { id: server.id }, data: { buildMethod: String(ctx.payload.method), distribution: String(ctx.payload.distribution ?? "") } });
  await recordAgentState(ctx.db, server.id, info);
  return { state: info.state };
}

/** `server.update-packages`: the guest's own package manager, with live output. */
export async function updatePackagesJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  await startOnce(ctx, () => ctx.agent().updatePackages({ name: server.name }));
  return {};
}

/** `server.export-template`: a stopped server's root into its host's template store. */
export async function exportTemplateJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  const template = String(ctx.payload.template);
  await startOnce(ctx, () => ctx.agent().exportTemplate({ name: server.name, template, description: String(ctx.payload.description ?? ""), replace: ctx.payload.replace === true }));
  await syncHostTemplates(ctx.db, server.hostId);
  return { template };
}

/** `host.unify`: shares identical files of the host's servers (vunify); the report has the savings. */
export async function unifyHostJob(ctx: JobContext) {
  await startOnce(ctx, () => ctx.agent().unifyVservers({ dryRun: false }));
  const { report } = await ctx.agent().getUnifyReport({});
  if (report) await ctx.log(`saved ${report.savedBytes} bytes this run (${report.totalSavedBytes} in all)`);
  return { savedBytes: report?.savedBytes ?? 0 };
}

/** Puts the server's state back from its host after a failed reinstall (the old root runs again). */
export async function undoReinstall(ctx: JobContext): Promise<void> {
  const server = await ctx.db.vServer.findUnique({ where: { id: ctx.job.vserverId ?? "" } });
  if (!server) return;
  const info = await ctx.agent().getVserver({ name: server.name }).catch(() => null);
  if (info) await recordAgentState(ctx.db, server.id, info);
}
