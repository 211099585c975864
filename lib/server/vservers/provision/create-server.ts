/**
 * Provisioning: checks who may create a server for whom, fits the sliders into the
 * plan, then under the reseller's quota lock checks the quota, places the server on a
 * host, writes the server row, takes its addresses from the pools and queues the build job.
 * The job (lib/server/jobs/handlers/create-server-job) builds it on the host and, if the
 * build fails, removes the row and returns the addresses.
 */
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { panelSecret } from "@/lib/env";
import { seal } from "@/lib/security/secret-box";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { allocateAddresses, releaseAddresses } from "@/lib/server/ip-pools/allocate-addresses";
import { createJob } from "@/lib/server/jobs/create-job";
import { parseInput } from "@/lib/server/parse-input";
import { getPlanOrThrow } from "@/lib/server/plans/get-plan-or-throw";
import { chosenSshKeys } from "@/lib/server/ssh-keys/chosen-ssh-keys";
import { withResellerQuota } from "@/lib/server/resellers/with-reseller-quota";
import type { RowLimits } from "../server-limits";
import { fitPlan } from "./fit-plan";
import { placeServer } from "./place-server";
import { provisionInput, type ProvisionInput } from "./provision-input";
import { freeContextId, uniqueServerName } from "./server-name";
import { methodArgsFor } from "./build-method-args";

/** The purpose label for secrets sealed into job payloads. */
export const jobSecretPurpose = "job-secret";

/** What provisioning returns: the new server and the job that builds it. */
export interface Provisioned {
  serverId: string;
  jobId: string;
  name: string;
  hostId: string;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/**
 * Where a new server's root comes from when it is not built: a backup of another server
 * (issue 14). The server goes on the backup's host (its repository is there) and its
 * job restores the snapshot instead of building.
 */
export interface RestoreSource {
  backupId: string;
  hostId: string;
}

/** Creates a server for a customer from a plan (built, or restored from `source`). */
export async function createServer(db: Db, actor: Actor, raw: unknown, source?: RestoreSource): Promise<Provisioned> {
  const input = parseInput(provisionInput, raw);
  if (actor.role !== "ADMIN" && actor.role !== "RESELLER") throw new AppError("FORBIDDEN", "you may not create servers");
  const customer = await db.user.findFirst({
    where: { id: input.customerId, role: "CUSTOMER", ...(actor.role === "RESELLER" ? { resellerId: actor.userId } : {}) },
  });
  if (!customer) throw new AppError("NOT_FOUND", "Customer not found", "customerId");
  if (customer.status !== "ACTIVE") throw new AppError("CONFLICT", "this customer is suspended", "customerId");
  const plan = await getPlanOrThrow(db, actor, input.planId).catch(() => {
    throw new AppError("NOT_FOUND", "Plan not found", "planId");
  });
  if (plan.archived) throw new AppError("CONFLICT", "this plan is archived", "planId");
  if (plan.ownerId && plan.ownerId !== customer.resellerId) throw new AppError("BAD_REQUEST", "this plan belongs to another reseller", "planId");
  if (input.hostId && actor.role !== "ADMIN") throw new AppError("FORBIDDEN", "only admins choose the host", "hostId");
  if (source) input.hostId = source.hostId;
  // Shared uids make the server's root the host's root for what it can reach (SECURITY.md
  // rule 5): an admin's explicit choice, as the switch on the server page.
  if (!input.userNamespace && actor.role !== "ADMIN") throw new AppError("FORBIDDEN", "only admins choose shared uids", "userNamespace");
  // A skeleton root has no init: starting it could only fail after the build.
  if (input.method === "skeleton" && input.start) throw new AppError("BAD_REQUEST", "a skeleton has no system to start: build it with start false", "start");

  const methodArgs = methodArgsFor(input.method, input.distribution);
  const accountKeys = await chosenSshKeys(db, actor, input.sshKeyIds);
  const limits = fitPlan(plan, input.limits);
  const ips = { ipv4: plan.ipv4Count, ipv6: plan.ipv6Count };
  // The check and every write that adds to the reseller's sums (the row, its addresses)
  // happen under the reseller's quota lock: concurrent creates wait and see this one.
  return withResellerQuota(db, customer.resellerId, { limits, ips, planOwnerId: plan.ownerId }, async () => {
    const hostId = await placeServer(
      db,
      { cpuMilli: limits.cpuMilli, memoryMb: limits.memoryMb, swapMb: limits.swapMb, ...ips, template: input.method === "template" ? input.distribution : undefined },
      input.hostId,
    );
    return insertServer(db, actor, { input, accountKeys, methodArgs, limits, planId: plan.id, ips, customerId: customer.id, hostId, source });
  });
}

/** What insertServer writes. */
interface NewServer {
  input: ProvisionInput;
  /** Key lines chosen from the caller's account. */
  accountKeys: string[];
  methodArgs: ReturnType<typeof methodArgsFor>;
  limits: RowLimits;
  planId: string;
  ips: { ipv4: number; ipv6: number };
  customerId: string;
  hostId: string;
  source?: RestoreSource;
}

/** Writes the row, takes its addresses and queues the build job; on failure removes what it made. */
async function insertServer(db: Db, actor: Actor, s: NewServer): Promise<Provisioned> {
  const { input, hostId } = s;
  // Name and context are unique per host; a concurrent provisioning may take the same
  // ones between our read and our insert, so the unique constraint decides and we retry.
  for (let attempt = 0; attempt < 5; attempt++) {
    const name = await uniqueServerName(db, hostId, input.hostname);
    const contextId = await freeContextId(db, hostId);
    let serverId: string;
    try {
      serverId = (
        await db.vServer.create({
          data: {
            name,
            contextId,
            hostname: input.hostname,
            hostId,
            ownerId: s.customerId,
            planId: s.planId,
            state: "BUILDING",
            buildMethod: input.method,
            distribution: input.distribution,
            userNamespace: input.userNamespace,
            desiredState: input.start ? "RUNNING" : "STOPPED",
            // As the host builds it (issue 13): a crash restarts it, with back-off.
            restartPolicy: "on-failure",
            ...s.limits,
          },
        })
      ).id;
    } catch (error) {
      if (isUniqueViolation(error) && attempt < 4) continue;
      throw error;
    }
    // Addresses are taken outside a transaction: the allocator resolves races by retrying
    // inserts, which an aborted PostgreSQL transaction would not allow. On failure the
    // row and what was taken are removed again (the job runner also sweeps rows left by
    // a crash at this point).
    const taken: string[] = [];
    try {
      taken.push(...(await allocateAddresses(db, hostId, "IPV4", s.ips.ipv4, serverId)).map((a) => a.id));
      taken.push(...(await allocateAddresses(db, hostId, "IPV6", s.ips.ipv6, serverId)).map((a) => a.id));
      const secret = input.rootPassword ? seal(panelSecret(), jobSecretPurpose, input.rootPassword) : undefined;
      const jobId = await createJob(db, {
        type: s.source ? "backup.restore-as-new" : "server.create",
        vserverId: serverId,
        hostId,
        createdById: actor.userId,
        payload: { ...(s.source ? { backupId: s.source.backupId } : {}), method: input.method, methodArgs: s.methodArgs, distribution: input.distribution, start: input.start, sealedRootPassword: secret, hadRootPassword: secret !== undefined, sshKeys: [...(input.sshKey ? [input.sshKey] : []), ...s.accountKeys] },
      });
      await audit(db, actor, "vserver.create", { type: "vserver", id: serverId }, { name, hostname: input.hostname, planId: s.planId, customerId: s.customerId, hostId, userNamespace: input.userNamespace, fromBackup: s.source?.backupId });
      return { serverId, jobId, name, hostId };
    } catch (error) {
      await releaseAddresses(db, taken);
      await db.vServer.delete({ where: { id: serverId } });
      throw error;
    }
  }
  throw notFound();
}
