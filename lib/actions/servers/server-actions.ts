"use server";
/** Server actions of the server pages: provisioning and power actions. */
import { formObject, runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { createServer } from "@/lib/server/vservers/provision/create-server";
import { requestPower, type PowerAction } from "@/lib/server/vservers/request-power";
import { setServerLimits, type SliderChangeResult } from "@/lib/server/vservers/set-server-limits";
import { setRootAccess } from "@/lib/server/vservers/set-root-access";
import { setServerUserNamespace } from "@/lib/server/vservers/set-user-namespace";
import { requestPackageUpdate, requestReinstall, requestTemplateExport } from "@/lib/server/vservers/request-maintenance";

/** Provisions a server from the wizard's data. */
export async function createServerAction(input: unknown): Promise<ActionResult<{ serverId: string; jobId: string }>> {
  return runAction(async (actor) => {
    const made = await createServer(db(), actor, input);
    return { serverId: made.serverId, jobId: made.jobId };
  }, { revalidate: ["/servers"] });
}

/** Queues a power action on a server. */
export async function powerAction(serverId: string, action: PowerAction, reason?: string): Promise<ActionResult<{ jobId: string }>> {
  return runAction((actor) => requestPower(db(), actor, serverId, action, reason), { revalidate: [`/servers/${serverId}`, "/servers"] });
}

/** Moves a server's sliders within its plan: live on the host, or a job that restarts it when confirmed. */
export async function setLimitsAction(serverId: string, limits: unknown): Promise<ActionResult<SliderChangeResult>> {
  return runAction((actor) => setServerLimits(db(), actor, serverId, limits), { revalidate: [`/servers/${serverId}`] });
}

/** Sets the guest's root password and/or SSH key from the server page's form. */
export async function setRootAccessAction(serverId: string, _prev: unknown, form: FormData): Promise<ActionResult<null>> {
  const raw = formObject(form);
  return runAction(async (actor) => {
    await setRootAccess(db(), actor, serverId, raw);
    return null;
  }, { message: "Saved inside the server." });
}

/** Gives a server its own user namespace or switches it to shared uids (admins). */
export async function setUserNamespaceAction(serverId: string, enabled: boolean): Promise<ActionResult<{ userNamespace: boolean; restart: boolean }>> {
  return runAction((actor) => setServerUserNamespace(db(), actor, serverId, { enabled }), { revalidate: [`/servers/${serverId}`] });
}

/** Queues a reinstall from the server page's form. */
export async function reinstallAction(serverId: string, input: unknown): Promise<ActionResult<{ jobId: string }>> {
  return runAction((actor) => requestReinstall(db(), actor, serverId, input), { revalidate: [`/servers/${serverId}`] });
}

/** Queues a package update. */
export async function updatePackagesAction(serverId: string): Promise<ActionResult<{ jobId: string }>> {
  return runAction((actor) => requestPackageUpdate(db(), actor, serverId), { revalidate: [`/servers/${serverId}`] });
}

/** Queues a template export (admins). */
export async function exportTemplateAction(serverId: string, _prev: unknown, form: FormData): Promise<ActionResult<{ jobId: string }>> {
  const raw = formObject(form);
  return runAction((actor) => requestTemplateExport(db(), actor, serverId, raw), { revalidate: [`/servers/${serverId}`] });
}
