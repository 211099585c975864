/**
 * Servers the self-service browser tests build through the panel's own provisioning, as
 * the admin, on the stack's host, and their removal after. A context id that another
 * agent on this machine holds needs nothing here: the panel's create job moves the server
 * to the next free id itself (lib/server/jobs/handlers/retry-on-taken-context.ts).
 */
import { createServer } from "@/lib/server/vservers/provision/create-server";
import { waitForJob, type FlowFixture } from "../../flows/fixture";

/** A server a test built: its row's id and its name on the host. */
export interface BuiltServer {
  serverId: string;
  name: string;
}

/** Creates the server (`input` as the admin's create form gives it) and waits until its build job succeeded. */
export async function buildServer(f: FlowFixture, input: Record<string, unknown>): Promise<BuiltServer> {
  const made = await createServer(f.db, f.admin, input);
  await waitForJob(f.db, made.jobId);
  return { serverId: made.serverId, name: made.name };
}

/** Removes a built server's rows (its addresses and the server; its jobs stay, unlinked) and, behind the panel's back, the server on the host. */
export async function removeBuiltServer(f: FlowFixture, server: { id: string; name: string }): Promise<void> {
  await f.db.ipAddress.deleteMany({ where: { vserverId: server.id } });
  await f.db.vServer.deleteMany({ where: { id: server.id } });
  await f.agent().setDesiredState({ name: server.name, state: "stopped", timeoutSec: 0 }).catch(() => undefined);
  await f.agent().deleteVserver({ name: server.name }).catch(() => undefined);
}
