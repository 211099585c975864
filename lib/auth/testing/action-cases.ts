/**
 * Every exported server action of lib/actions, as the domain call it makes (actions
 * are thin: they resolve the session's actor and call one domain function), with the
 * outcome each role must get on its own tenant's objects and on the other tenant's.
 * This is the table docs/authorization.md describes; the test refuses an action that
 * is missing here.
 */
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { totpCode } from "@/lib/security/totp";
import type { Actor } from "@/lib/server/actor";
import { createApiToken, revokeApiToken } from "@/lib/server/api-tokens/api-tokens";
import { grantSupportConsole, revokeSupportConsole } from "@/lib/server/console/support-console-grants";
import { enrollHost } from "@/lib/server/hosts/enroll-host";
import { removeHost } from "@/lib/server/hosts/remove-host";
import { updateHost } from "@/lib/server/hosts/update-host";
import { createPool } from "@/lib/server/ip-pools/create-pool";
import { deletePool } from "@/lib/server/ip-pools/delete-pool";
import { createPlan } from "@/lib/server/plans/create-plan";
import { previewPlanUpdate } from "@/lib/server/plans/preview-plan-update";
import { updatePlan } from "@/lib/server/plans/update-plan";
import { setResellerQuota } from "@/lib/server/resellers/set-reseller-quota";
import { signOutEverywhere } from "@/lib/server/sessions/sign-out-everywhere";
import { resetUserTwoFactor, setTwoFactorRoles, setUserTwoFactorRequired } from "@/lib/server/two-factor/admin-two-factor";
import { beginEnrollment, confirmEnrollment } from "@/lib/server/two-factor/enrollment";
import { disableOwnTwoFactor, regenerateOwnRecoveryCodes } from "@/lib/server/two-factor/manage-own";
import { createUser } from "@/lib/server/users/create-user";
import { deleteUser } from "@/lib/server/users/delete-user";
import { changeOwnPassword, resetPassword } from "@/lib/server/users/set-password";
import { setUserStatus } from "@/lib/server/users/set-user-status";
import { updateUser } from "@/lib/server/users/update-user";
import { createServer } from "@/lib/server/vservers/provision/create-server";
import { requestPackageUpdate, requestReinstall, requestTemplateExport, requestUnify } from "@/lib/server/vservers/request-maintenance";
import { requestPower } from "@/lib/server/vservers/request-power";
import { requestRescueEnd, requestRescueStart } from "@/lib/server/vservers/rescue/request-rescue";
import { setRootAccess } from "@/lib/server/vservers/set-root-access";
import { setServerLimits } from "@/lib/server/vservers/set-server-limits";
import { setServerRestartPolicy } from "@/lib/server/vservers/set-restart-policy";
import { setServerUserNamespace } from "@/lib/server/vservers/set-user-namespace";
import { addServerAddress } from "@/lib/server/vservers/add-server-address";
import { changePlan, previewPlanChange } from "@/lib/server/vservers/change-plan";
import { cancelPlanChange, decidePlanChange, requestPlanChange } from "@/lib/server/vservers/plan-change-requests";
import { removeServerAddress } from "@/lib/server/vservers/remove-server-address";
import { retryBuild } from "@/lib/server/vservers/retry-build";
import { saveMailSettings, saveUsageSettings } from "@/lib/server/events/admin-settings";
import { issuePasswordToken, redeemPasswordToken } from "@/lib/server/passwords/password-links";
import { requestPasswordReset } from "@/lib/server/passwords/request-password-reset";
import { markNotificationsRead, setNotificationChoices } from "@/lib/server/events/notifications";
import { createWebhookEndpoint, deleteWebhookEndpoint, redeliverWebhook } from "@/lib/server/events/webhook-endpoints";
import { tenantPassword, type Tenant, type Tenants } from "./tenants";
import { migratableServer } from "./migratable-server";
import { requestMigration } from "@/lib/server/migration/request-migration";
import { requestHostEvacuation } from "@/lib/server/migration/request-host-evacuation";
import { deferPowerUntilBack } from "@/lib/server/vservers/defer-power-until-back";
import { setBackupGraceDays } from "@/lib/server/backups/backup-settings";
import { browseBackup } from "@/lib/server/backups/browse-backup";
import { deleteBackupTarget, requestTargetCheck, setDefaultBackupTarget } from "@/lib/server/backups/manage-backup-target";
import { requestBackup } from "@/lib/server/backups/request-backup";
import { requestDeleteBackup } from "@/lib/server/backups/request-delete-backup";
import { requestRestore, requestRestoreFiles } from "@/lib/server/backups/request-restore";
import { requestRestoreAsNew } from "@/lib/server/backups/request-restore-as-new";
import { requestRestoreOrphanAsNew } from "@/lib/server/backups/request-restore-orphan-as-new";
import { saveBackupTarget } from "@/lib/server/backups/save-backup-target";
import { emptyHost, freeBackupSlots, localTarget, okBackup, orphanedBackup, sftpTarget } from "./backup-fixtures";
import { addSshKey } from "@/lib/server/ssh-keys/add-ssh-key";
import { deleteSshKey } from "@/lib/server/ssh-keys/delete-ssh-key";
import { setTheme } from "@/lib/server/users/set-theme";
import { linkPoolReverseZones } from "@/lib/server/dns/link-pool-reverse-zones";
import { savePowerDnsSettings } from "@/lib/server/dns/save-powerdns-settings";
import { setReverseDns } from "@/lib/server/dns/set-reverse-dns";
import { pointAtFakePowerDns } from "@/lib/server/dns/testing/fake-powerdns";

/** An authorization outcome: done, refused (403), or not there for this caller (404). */
export type Outcome = "ok" | 403 | 404;

/**
 * What each role gets. `own`/`other`: the actor's tenant's objects and the other
 * tenant's (for a customer "own" means a sibling object of its reseller for user
 * targets, its own server for server targets); `self`: actions without a target id.
 */
export interface Expectation {
  admin: Outcome;
  support: Outcome;
  reseller: [own: Outcome, other: Outcome];
  customer: [own: Outcome, other: Outcome];
}

/** What a case's call receives. */
export interface CaseContext {
  db: Db;
  fx: Tenants;
  /** The tenant whose objects the call targets. */
  t: Tenant;
  /** Endpoint and credential of the fake agent (for enrolling a host). */
  agent: { endpoint: string; credential: string };
}

/** One action of the table. */
export interface ActionCase {
  /** `file:export` of the server action. */
  action: string;
  /** Targets no object (acts on the caller itself or creates): run once, relation "self". */
  selfOnly?: boolean;
  expect: Expectation;
  call(actor: Actor, ctx: CaseContext): Promise<unknown>;
}

const all = (o: Outcome): Expectation => ({ admin: o, support: o, reseller: [o, o], customer: [o, o] });
const adminOnly404: Expectation = { admin: "ok", support: 404, reseller: [404, 404], customer: [404, 404] };
const adminOnly403: Expectation = { admin: "ok", support: 403, reseller: [403, 403], customer: [403, 403] };
const providerCreates: Expectation = { admin: "ok", support: 403, reseller: ["ok", "ok"], customer: [403, 403] };
const ownerWrites: Expectation = { admin: "ok", support: 403, reseller: ["ok", 404], customer: ["ok", 404] };
const providerWrites: Expectation = { admin: "ok", support: 403, reseller: ["ok", 404], customer: [403, 404] };
const providerManagesUsers: Expectation = { admin: "ok", support: 403, reseller: ["ok", 404], customer: [404, 404] };

const uid = () => crypto.randomBytes(4).toString("hex");
let poolCount = 0;

/** A valid ed25519 public key line with a random key (as ssh-keygen writes one). */
function ed25519Line(): string {
  const part = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return `ssh-ed25519 ${Buffer.concat([part(Buffer.from("ssh-ed25519")), part(crypto.randomBytes(32))]).toString("base64")} authz@test`;
}

/** A fresh customer of the tenant's reseller (targets of destructive user actions). */
async function freshCustomer(ctx: CaseContext): Promise<string> {
  const u = await ctx.db.user.create({ data: { email: `fresh-${uid()}@authz.test`, role: "CUSTOMER", passwordHash: "x", resellerId: ctx.t.resellerId } });
  return u.id;
}

/** A pending plan-change request on the tenant's server (asked by `by`), none other open. */
async function pendingRequest(ctx: CaseContext, by: string): Promise<string> {
  await ctx.db.planChangeRequest.deleteMany({ where: { vserverId: ctx.t.serverId } });
  return (await ctx.db.planChangeRequest.create({ data: { vserverId: ctx.t.serverId, toPlanId: ctx.fx.housePlanId, fromPlanId: ctx.t.planId, requestedById: by } })).id;
}

/** An address of the fixture's pool held by the tenant's server (as the allocator would give it). */
async function heldAddress(ctx: CaseContext): Promise<string> {
  const octet = 2 + (poolCount++ % 250);
  const pool = await ctx.db.ipPool.findUniqueOrThrow({ where: { id: ctx.fx.poolId } });
  const address = pool.cidr.replace(/\.0\/24$/, `.${octet}`);
  await ctx.db.ipAddress.deleteMany({ where: { address } });
  return (await ctx.db.ipAddress.create({ data: { poolId: pool.id, family: "IPV4", address, prefix: 32, vserverId: ctx.t.serverId } })).id;
}

/** Turns two-factor login on for the actor; returns its secret and recovery codes. */
async function enable2fa(db: Db, actor: Actor): Promise<{ secret: string; codes: string[] }> {
  const start = await beginEnrollment(db, actor);
  const { recoveryCodes } = await confirmEnrollment(db, actor, { code: totpCode(start.secret) });
  return { secret: start.secret, codes: recoveryCodes };
}

/** A webhook endpoint of the tenant's reseller. */
async function tenantWebhook(db: Db, resellerId: string): Promise<string> {
  return (await db.webhookEndpoint.create({ data: { ownerId: resellerId, url: "https://hooks.authz.test/t", secretSealed: "x" } })).id;
}

/** A delivery to a webhook endpoint of the tenant's reseller. */
async function tenantDelivery(db: Db, resellerId: string): Promise<string> {
  const endpointId = await tenantWebhook(db, resellerId);
  const event = await db.event.create({ data: { type: "server.started", dispatchedAt: new Date() } });
  return (await db.eventDelivery.create({ data: { eventId: event.id, channel: "WEBHOOK", endpointId, state: "DELIVERED" } })).id;
}

/** A fresh customer of a reseller (whose password a link may change). */
async function freshCustomerOf(db: Db, resellerId: string): Promise<string> {
  return (await db.user.create({ data: { email: `link-${uid()}@authz.test`, role: "CUSTOMER", passwordHash: "x", resellerId } })).id;
}

/** The table. */
export const actionCases: ActionCase[] = [
  {
    action: "hosts/enroll-host-action:enrollHostAction",
    selfOnly: true,
    expect: adminOnly404,
    call: (a, { db, agent }) => enrollHost(db, a, { name: `authz-host-${uid()}`, endpoint: agent.endpoint, credential: agent.credential }),
  },
  { action: "hosts/set-host-draining-action:setHostDrainingAction", expect: adminOnly404, call: (a, { db, fx }) => updateHost(db, a, fx.hostId, { draining: false }) },
  { action: "hosts/unify-host-action:unifyHostAction", expect: adminOnly404, call: (a, { db, fx }) => requestUnify(db, a, fx.hostId) },
  {
    action: "hosts/evacuate-host-action:evacuateHostAction",
    expect: adminOnly404,
    call: async (a, { db, t }) => {
      const m = await migratableServer(db, t);
      const { hostId } = await db.vServer.findUniqueOrThrow({ where: { id: m.serverId } });
      return requestHostEvacuation(db, a, hostId);
    },
  },
  {
    action: "hosts/remove-host-action:removeHostAction",
    expect: adminOnly404,
    call: async (a, { db }) => {
      const h = await db.host.create({ data: { name: `authz-empty-${uid()}`, endpoint: "unix:/nonexistent", credentialHash: "x", credentialCiphertext: "x" } });
      return removeHost(db, a, h.id);
    },
  },
  {
    action: "ip-pools/create-pool-action:createPoolAction",
    selfOnly: true,
    expect: adminOnly404,
    call: (a, { db }) => createPool(db, a, { name: `authz-pool-${uid()}`, cidr: `198.51.100.${(poolCount++ % 64) * 4}/30`, assignPrefix: 32 }),
  },
  {
    action: "ip-pools/delete-pool-action:deletePoolAction",
    expect: adminOnly404,
    call: async (a, { db }) => {
      const p = await db.ipPool.create({ data: { name: `authz-del-${uid()}`, family: "IPV4", cidr: "203.0.113.0/28", assignPrefix: 32 } });
      return deletePool(db, a, p.id);
    },
  },
  {
    action: "plans/create-plan-action:createPlanAction",
    selfOnly: true,
    expect: providerCreates,
    call: (a, { db }) => createPlan(db, a, { name: `Authz ${uid()}`, cpuMilli: 100, cpuMilliMax: 200, memoryMb: 64, memoryMbMax: 128, diskMb: 64, diskMbMax: 128, pids: 32, pidsMax: 64 }),
  },
  {
    action: "plans/set-plan-archived-action:setPlanArchivedAction",
    expect: { admin: "ok", support: 404, reseller: ["ok", 404], customer: [404, 404] },
    call: (a, { db, t }) => updatePlan(db, a, t.planId, { archived: false }),
  },
  {
    action: "servers/create-server-action:createServerAction",
    expect: { admin: "ok", support: 403, reseller: ["ok", 404], customer: [403, 403] },
    call: (a, { db, t }) => createServer(db, a, { customerId: t.customerId, planId: t.planId, hostname: `n${uid()}.authz.test` }),
  },
  { action: "servers/power-action:powerAction", expect: ownerWrites, call: (a, { db, t }) => requestPower(db, a, t.serverId, "restart") },
  {
    action: "servers/defer-power-action:deferPowerAction",
    expect: ownerWrites,
    call: async (a, { db, t }) => {
      // A server of the tenant on a host of its own that is offline.
      const m = await migratableServer(db, t);
      const { hostId } = await db.vServer.findUniqueOrThrow({ where: { id: m.serverId } });
      await db.host.update({ where: { id: hostId }, data: { status: "OFFLINE" } });
      return deferPowerUntilBack(db, a, m.serverId, "stop");
    },
  },
  { action: "servers/set-restart-policy-action:setRestartPolicyAction", expect: ownerWrites, call: (a, { db, t }) => setServerRestartPolicy(db, a, t.serverId, { policy: "on-failure" }) },
  {
    action: "servers/power-action:powerAction (provider only: suspend)",
    expect: providerWrites,
    call: async (a, { db, t }) => {
      try {
        return await requestPower(db, a, t.serverId, "suspend", "authz");
      } finally {
        // The decision is recorded at once; the next caller finds the server as it was.
        await db.vServer.update({ where: { id: t.serverId }, data: { suspended: false, suspendReason: null, desiredState: "RUNNING" } });
      }
    },
  },
  { action: "servers/set-limits-action:setLimitsAction", expect: ownerWrites, call: (a, { db, t }) => setServerLimits(db, a, t.serverId, { memoryMb: 512 }) },
  { action: "servers/set-root-access-action:setRootAccessAction", expect: ownerWrites, call: (a, { db, t }) => setRootAccess(db, a, t.serverId, { rootPassword: "new-root-password" }) },
  { action: "servers/reinstall-action:reinstallAction", expect: ownerWrites, call: (a, { db, t }) => requestReinstall(db, a, t.serverId, { method: "busybox" }) },
  { action: "servers/update-packages-action:updatePackagesAction", expect: ownerWrites, call: (a, { db, t }) => requestPackageUpdate(db, a, t.serverId) },
  {
    action: "servers/rescue-action:startRescueAction",
    expect: ownerWrites,
    call: async (a, { db, t }) => {
      try {
        return await requestRescueStart(db, a, t.serverId, {});
      } finally {
        // The rescue is marked at once; the next caller finds the server as it was.
        await db.vServer.update({ where: { id: t.serverId }, data: { rescueUntil: null } });
      }
    },
  },
  {
    action: "servers/rescue-action:endRescueAction",
    expect: ownerWrites,
    call: async (a, { db, t }) => {
      await db.vServer.update({ where: { id: t.serverId }, data: { rescueUntil: new Date(Date.now() + 3_600_000) } });
      try {
        return await requestRescueEnd(db, a, t.serverId);
      } finally {
        await db.vServer.update({ where: { id: t.serverId }, data: { rescueUntil: null } });
      }
    },
  },
  {
    action: "servers/migrate-server-action:migrateServerAction",
    expect: adminOnly403,
    call: async (a, { db, t }) => {
      const m = await migratableServer(db, t);
      return requestMigration(db, a, m.serverId, { targetHostId: m.targetHostId });
    },
  },
  {
    action: "servers/export-template-action:exportTemplateAction",
    expect: adminOnly404,
    call: async (a, { db, t }) => {
      // Templates are made from stopped servers; the fixture's servers run.
      await db.vServer.update({ where: { id: t.serverId }, data: { state: "STOPPED" } });
      try {
        return await requestTemplateExport(db, a, t.serverId, { template: `authz-${uid()}` });
      } finally {
        await db.vServer.update({ where: { id: t.serverId }, data: { state: "RUNNING" } });
      }
    },
  },
  {
    action: "servers/set-user-namespace-action:setUserNamespaceAction",
    // Those who see the server are refused (403); others do not learn it exists (404).
    expect: { admin: "ok", support: 403, reseller: [403, 404], customer: [403, 404] },
    call: (a, { db, t }) => setServerUserNamespace(db, a, t.serverId, { enabled: true }),
  },
  {
    action: "plans/save-plan-action:savePlanAction",
    expect: { admin: "ok", support: 404, reseller: ["ok", 404], customer: [404, 404] },
    call: async (a, { db, t }) => {
      await previewPlanUpdate(db, a, t.planId, { archived: false });
      return updatePlan(db, a, t.planId, { archived: false });
    },
  },
  { action: "servers/preview-plan-change-action:previewPlanChangeAction", expect: ownerWrites, call: (a, { db, t }) => previewPlanChange(db, a, t.serverId, t.planId) },
  // A customer sees its server but the plan (not one customers may pick) is its provider's choice.
  { action: "servers/change-plan-action:changePlanAction", expect: providerWrites, call: (a, { db, t }) => changePlan(db, a, t.serverId, { planId: t.planId }) },
  {
    action: "servers/request-plan-change-action:requestPlanChangeAction",
    expect: ownerWrites,
    call: async (a, { db, t, fx }) => {
      await db.planChangeRequest.deleteMany({ where: { vserverId: t.serverId } });
      return requestPlanChange(db, a, t.serverId, { planId: fx.housePlanId });
    },
  },
  { action: "servers/cancel-plan-change-action:cancelPlanChangeAction", expect: ownerWrites, call: async (a, ctx) => cancelPlanChange(ctx.db, a, await pendingRequest(ctx, a.userId)) },
  {
    action: "servers/decide-plan-change-action:decidePlanChangeAction",
    expect: { admin: "ok", support: 403, reseller: ["ok", 404], customer: [403, 403] },
    call: async (a, ctx) => decidePlanChange(ctx.db, a, await pendingRequest(ctx, ctx.t.customerId), { approve: false, answer: "no" }),
  },
  {
    action: "servers/add-address-action:addAddressAction",
    expect: ownerWrites,
    call: async (a, { db, t }) => {
      try {
        return await addServerAddress(db, a, t.serverId, { family: "IPV4" });
      } finally {
        await db.ipAddress.deleteMany({ where: { vserverId: t.serverId } });
      }
    },
  },
  {
    action: "servers/remove-address-action:removeAddressAction",
    expect: ownerWrites,
    call: async (a, ctx) => {
      const id = await heldAddress(ctx);
      try {
        return await removeServerAddress(ctx.db, a, ctx.t.serverId, id);
      } finally {
        await ctx.db.ipAddress.deleteMany({ where: { vserverId: ctx.t.serverId } });
      }
    },
  },
  {
    action: "servers/retry-build-action:retryBuildAction",
    expect: { admin: "ok", support: 403, reseller: ["ok", 404], customer: [403, 403] },
    call: async (a, { db, t }) => {
      // A server whose build failed (the fixture's run: made so for this call, then put back).
      await db.vServer.update({ where: { id: t.serverId }, data: { state: "ERROR" } });
      await db.job.create({ data: { type: "server.create", state: "FAILED", error: "authz", vserverId: t.serverId, hostId: (await db.vServer.findUniqueOrThrow({ where: { id: t.serverId } })).hostId } });
      try {
        return await retryBuild(db, a, t.serverId);
      } finally {
        await db.job.deleteMany({ where: { vserverId: t.serverId, type: "server.create" } });
        await db.vServer.update({ where: { id: t.serverId }, data: { state: "RUNNING", lastError: null } });
      }
    },
  },
  {
    action: "tokens/token-actions:createTokenAction",
    selfOnly: true,
    // Customers' tokens carry scopes (issue 18); support staff get none.
    expect: { admin: "ok", support: 403, reseller: ["ok", "ok"], customer: ["ok", "ok"] },
    call: (a, { db }) => createApiToken(db, a, { name: "authz", ...(a.role === "CUSTOMER" ? { scopes: ["servers:read"] } : {}) }),
  },
  { action: "ssh-keys/ssh-key-actions:addSshKeyAction", selfOnly: true, expect: all("ok"), call: (a, { db }) => addSshKey(db, a, { name: `authz-${uid()}`, publicKey: ed25519Line() }) },
  {
    action: "ssh-keys/ssh-key-actions:deleteSshKeyAction",
    // A key is its owner's alone: nobody else sees it, not even an admin.
    expect: { admin: 404, support: 404, reseller: [404, 404], customer: ["ok", 404] },
    call: async (a, { db, t }) => deleteSshKey(db, a, (await db.sshKey.create({ data: { userId: t.customerId, name: `authz-${uid()}`, type: "ssh-ed25519", bits: 256, publicKey: ed25519Line(), fingerprint: `SHA256:${uid()}` } })).id),
  },
  { action: "theme/set-theme-action:setThemeAction", selfOnly: true, expect: all("ok"), call: (a, { db }) => setTheme(db, a, "dark") },
  {
    action: "tokens/token-actions:revokeTokenAction",
    expect: { admin: "ok", support: 404, reseller: ["ok", 404], customer: [404, 404] },
    call: (a, { db, t }) => revokeApiToken(db, a, t.tokenId),
  },
  {
    action: "users/user-actions:createUserAction",
    selfOnly: true,
    expect: providerCreates,
    call: (a, { db }) => createUser(db, a, { email: `new-${uid()}@authz.test`, role: "CUSTOMER" }),
  },
  { action: "users/user-actions:setUserStatusAction", expect: providerManagesUsers, call: async (a, ctx) => setUserStatus(ctx.db, a, await freshCustomer(ctx), "SUSPENDED") },
  { action: "users/user-actions:deleteUserAction", expect: providerManagesUsers, call: async (a, ctx) => deleteUser(ctx.db, a, await freshCustomer(ctx)) },
  { action: "users/user-actions:resetPasswordAction", expect: providerManagesUsers, call: async (a, ctx) => resetPassword(ctx.db, a, await freshCustomer(ctx)) },
  {
    action: "users/user-actions:setQuotaAction",
    expect: adminOnly403,
    call: (a, { db, t }) => setResellerQuota(db, a, t.resellerId, { maxServers: 100, maxCpuMilli: 100_000, maxMemoryMb: 100_000, maxDiskMb: 1_000_000, maxIpv4: 100, maxIpv6: 100 }),
  },
  {
    action: "users/user-actions:changePasswordAction",
    selfOnly: true,
    expect: all("ok"),
    call: async (a, { db }) => {
      await changeOwnPassword(db, a, { currentPassword: tenantPassword, newPassword: "changed-password-1" });
      // Back to the fixture's password for the other cases (and the next relation).
      await changeOwnPassword(db, a, { currentPassword: "changed-password-1", newPassword: tenantPassword });
    },
  },
  { action: "users/user-actions:setSupportConsoleAction", selfOnly: true, expect: all("ok"), call: (a, { db }) => updateUser(db, a, a.userId, { allowSupportConsole: false }) },
  { action: "sessions/session-actions:signOutEverywhereAction", selfOnly: true, expect: all("ok"), call: (a, { db }) => signOutEverywhere(db, a) },
  {
    action: "two-factor/two-factor-actions:beginEnrollmentAction",
    selfOnly: true,
    expect: all("ok"),
    call: (a, { db }) => beginEnrollment(db, a),
  },
  {
    action: "two-factor/two-factor-actions:confirmEnrollmentAction",
    selfOnly: true,
    expect: all("ok"),
    call: async (a, { db }) => {
      const { codes } = await enable2fa(db, a);
      await disableOwnTwoFactor(db, a, { code: codes[0]! });
    },
  },
  {
    action: "two-factor/two-factor-actions:regenerateRecoveryCodesAction",
    selfOnly: true,
    expect: all("ok"),
    call: async (a, { db }) => {
      const { secret } = await enable2fa(db, a);
      const fresh = await regenerateOwnRecoveryCodes(db, a, { code: totpCode(secret, Date.now() / 1000 + 30) });
      await disableOwnTwoFactor(db, a, { code: fresh.recoveryCodes[0]! });
    },
  },
  {
    action: "two-factor/two-factor-actions:disableTwoFactorAction",
    selfOnly: true,
    expect: all("ok"),
    call: async (a, { db }) => {
      const { codes } = await enable2fa(db, a);
      await disableOwnTwoFactor(db, a, { code: codes[1]! });
    },
  },
  {
    action: "two-factor/admin-two-factor-actions:setTwoFactorRolesAction",
    selfOnly: true,
    expect: adminOnly404,
    call: (a, { db }) => setTwoFactorRoles(db, a, { roles: [] }),
  },
  { action: "two-factor/admin-two-factor-actions:setUserTwoFactorRequiredAction", expect: adminOnly404, call: (a, { db, t }) => setUserTwoFactorRequired(db, a, t.customerId, false) },
  { action: "two-factor/admin-two-factor-actions:resetUserTwoFactorAction", expect: adminOnly404, call: (a, ctx) => freshCustomer(ctx).then((id) => resetUserTwoFactor(ctx.db, a, id)) },
  {
    action: "console/console-actions:grantSupportConsoleAction",
    expect: adminOnly403,
    call: (a, { db, fx, t }) => grantSupportConsole(db, a, t.serverId, { userId: fx.supportId, minutes: 30 }),
  },
  { action: "console/console-actions:revokeSupportConsoleAction", expect: adminOnly403, call: (a, { db, t }) => revokeSupportConsole(db, a, t.grantId) },
  { action: "notifications/notification-actions:markAllReadAction", selfOnly: true, expect: all("ok"), call: (a, { db }) => markNotificationsRead(db, a) },
  { action: "notifications/notification-actions:saveChoicesAction", selfOnly: true, expect: all("ok"), call: (a, { db }) => setNotificationChoices(db, a, { on: ["server.crashed:PANEL"] }) },
  { action: "notifications/notification-actions:createWebhookAction", selfOnly: true, expect: providerCreates, call: (a, { db }) => createWebhookEndpoint(db, a, { url: "https://hooks.authz.test/x" }) },
  {
    action: "notifications/notification-actions:deleteWebhookAction",
    expect: { admin: 404, support: 403, reseller: ["ok", 404], customer: [403, 403] },
    call: async (a, { db, t }) => deleteWebhookEndpoint(db, a, await tenantWebhook(db, t.resellerId)),
  },
  {
    action: "notifications/notification-actions:redeliverWebhookAction",
    expect: { admin: 404, support: 403, reseller: ["ok", 404], customer: [403, 403] },
    call: async (a, { db, t }) => redeliverWebhook(db, a, await tenantDelivery(db, t.resellerId)),
  },
  {
    action: "notifications/notification-actions:saveMailSettingsAction",
    selfOnly: true,
    expect: adminOnly404,
    call: (a, { db }) => saveMailSettings(db, a, { host: "", port: 25, from: "panel@authz.test", publicUrl: "https://panel.authz.test" }),
  },
  { action: "notifications/notification-actions:saveUsageSettingsAction", selfOnly: true, expect: adminOnly404, call: (a, { db }) => saveUsageSettings(db, a, { startDay: 1 }) },
  { action: "passwords/password-actions:requestResetAction", selfOnly: true, expect: all("ok"), call: (_a, { db }) => requestPasswordReset(db, "nobody@authz.test", "192.0.2.1") },
  {
    action: "passwords/password-actions:resetWithLinkAction",
    selfOnly: true,
    expect: all("ok"),
    call: async (_a, { db, t }) => redeemPasswordToken(db, await issuePasswordToken(db, await freshCustomerOf(db, t.resellerId), "RESET"), "a-new-password-123"),
  },  // Backups (issue 14): the owner and its provider act on a server's backups; support only reads the list (lib/server/backups).
  {
    action: "backups/create-backup-action:createBackupAction",
    expect: ownerWrites,
    call: async (a, { db, fx, t }) => {
      await localTarget(db, fx.hostId);
      await freeBackupSlots(db, t);
      return requestBackup(db, a, t.serverId, { note: "authz" });
    },
  },
  { action: "backups/restore-backup-action:restoreBackupAction", expect: ownerWrites, call: async (a, { db, t }) => requestRestore(db, a, t.serverId, await okBackup(db, t)) },
  {
    action: "backups/restore-backup-files-action:restoreBackupFilesAction",
    expect: ownerWrites,
    call: async (a, { db, t }) => requestRestoreFiles(db, a, t.serverId, await okBackup(db, t), { paths: ["/etc/hosts"] }),
  },
  {
    action: "backups/restore-backup-as-new-action:restoreBackupAsNewAction",
    // The role is checked before the backup is looked up: a customer gets 403 on any server's.
    expect: { admin: "ok", support: 403, reseller: ["ok", 404], customer: [403, 403] },
    call: async (a, { db, t }) => requestRestoreAsNew(db, a, t.serverId, await okBackup(db, t), { hostname: `r${uid()}.authz.test`, start: false }),
  },
  {
    action: "backups/restore-terminated-server-action:restoreTerminatedServerAction",
    // A terminated server's backups are its provider's to bring back; support and customers get 404.
    expect: { admin: "ok", support: 404, reseller: ["ok", 404], customer: [404, 404] },
    call: async (a, { db, t }) => requestRestoreOrphanAsNew(db, a, await orphanedBackup(db, t), { hostname: `r${uid()}.authz.test`, start: false }),
  },
  { action: "backups/delete-backup-action:deleteBackupAction", expect: ownerWrites, call: async (a, { db, t }) => requestDeleteBackup(db, a, t.serverId, await okBackup(db, t, { scheduled: false })) },
  {
    action: "backups/delete-backup-action:deleteBackupAction (a scheduled backup: kept by the plan's retention)",
    expect: providerWrites,
    call: async (a, { db, t }) => requestDeleteBackup(db, a, t.serverId, await okBackup(db, t)),
  },
  {
    action: "backups/browse-backup-action:browseBackupAction",
    // Support reads the list of backups, not the customers' files in them.
    expect: { admin: "ok", support: 404, reseller: ["ok", 404], customer: ["ok", 404] },
    call: async (a, { db, t }) => browseBackup(db, a, t.serverId, await okBackup(db, t), { path: "/etc" }),
  },
  {
    action: "backups/save-backup-target-action:saveBackupTargetAction",
    selfOnly: true,
    expect: adminOnly404,
    call: (a, { db, fx }) => saveBackupTarget(db, a, { name: `authz ${uid()}`, hostId: fx.hostId, host: "backup.authz.test", port: 22, user: "backup", path: `repo-${uid()}` }),
  },
  { action: "backups/manage-backup-target-actions:setDefaultBackupTargetAction", expect: adminOnly404, call: async (a, { db }) => setDefaultBackupTarget(db, a, await sftpTarget(db, await emptyHost(db))) },
  { action: "backups/manage-backup-target-actions:checkBackupTargetAction", expect: adminOnly404, call: async (a, { db, fx }) => requestTargetCheck(db, a, await sftpTarget(db, fx.hostId), fx.hostId) },
  { action: "backups/manage-backup-target-actions:deleteBackupTargetAction", expect: adminOnly404, call: async (a, { db, fx }) => deleteBackupTarget(db, a, await sftpTarget(db, fx.hostId)) },
  {
    action: "backups/manage-backup-target-actions:setBackupGraceAction",
    selfOnly: true,
    expect: adminOnly404,
    call: (a, { db }) => setBackupGraceDays(db, a, { graceDays: 7 }),
  },
  // Reverse DNS (issue 18): against a stand-in of PowerDNS's API (who may call is what is
  // tested here; lib/server/dns/reverse-dns-powerdns.db.test.ts runs the real PowerDNS).
  { action: "servers/set-reverse-dns-action:setReverseDnsAction", expect: ownerWrites, call: (a, ctx) => withReverseDnsTarget(ctx, (address) => setReverseDns(ctx.db, a, ctx.t.serverId, { address, name: "mail.authz.test" }, { checkForward: false })) },
  { action: "servers/set-reverse-dns-action:setReverseDnsFormAction", expect: ownerWrites, call: (a, ctx) => withReverseDnsTarget(ctx, (address) => setReverseDns(ctx.db, a, ctx.t.serverId, { address, name: null })) },
  {
    action: "dns/reverse-dns-admin-actions:savePowerDnsSettingsAction",
    selfOnly: true,
    expect: adminOnly404,
    call: (a, { db }) => savePowerDnsSettings(db, a, { url: "http://127.0.0.1:8081", serverId: "localhost", apiKey: "authz-key" }),
  },
  {
    action: "dns/reverse-dns-admin-actions:linkPoolReverseZonesAction",
    expect: adminOnly403,
    call: async (a, ctx) => {
      await pointAtFakePowerDns(ctx.db);
      return linkPoolReverseZones(ctx.db, a, ctx.fx.poolId);
    },
  },
];

/** Runs `call` on an address held by the tenant's server, with PowerDNS (the stand-in) set up; the address goes back afterwards. */
async function withReverseDnsTarget(ctx: CaseContext, call: (address: string) => Promise<unknown>): Promise<unknown> {
  await pointAtFakePowerDns(ctx.db);
  const row = await ctx.db.ipAddress.findUniqueOrThrow({ where: { id: await heldAddress(ctx) } });
  try {
    return await call(row.address);
  } finally {
    await ctx.db.ipAddress.deleteMany({ where: { id: row.id } });
  }
}
