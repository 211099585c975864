/**
 * What the provisioning wizard offers the actor: its customers, the plans it may sell,
 * (admins) the hosts with room and free addresses, and the build methods.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { poolCounts } from "@/lib/server/ip-pools/pool-counts";
import { visiblePlansWhere } from "@/lib/server/plans/visible-plans-where";
import { debianReleases } from "./build-method-args";
import { listSshKeys } from "@/lib/server/ssh-keys/list-ssh-keys";
import { placeServer } from "./place-server";

/** A build method as the wizard shows it. */
export interface MethodOption {
  value: string;
  label: string;
  distributions: string[];
}

/** The build methods the wizard offers (templates are filled in per host from the database). */
export const buildMethods: MethodOption[] = [
  { value: "busybox", label: "Minimal (BusyBox): starts in a second", distributions: [] },
  { value: "debootstrap", label: "Debian (debootstrap from the host's mirror): a minute or two", distributions: [...debianReleases] },
  { value: "template", label: "From a template: a prepared system, in seconds", distributions: [] },
  // Builds a root with no init: the wizard builds it without starting it, and says so.
  { value: "skeleton", label: "Skeleton: directory structure and configuration only, no system inside — built stopped, for you to install a system into", distributions: [] },
];

/** The wizard's choices. */
export async function wizardOptions(db: Db, actor: Actor) {
  if (actor.role !== "ADMIN" && actor.role !== "RESELLER") throw new AppError("NOT_FOUND", "Not found");
  const [customers, plans, hosts, sold, templates] = await Promise.all([
    db.user.findMany({
      where: { role: "CUSTOMER", status: "ACTIVE", ...(actor.role === "RESELLER" ? { resellerId: actor.userId } : {}) },
      select: { id: true, email: true, name: true, resellerId: true },
      orderBy: { email: "asc" },
      take: 500,
    }),
    db.plan.findMany({ where: { AND: [visiblePlansWhere(actor), { archived: false }] }, orderBy: [{ priceCents: "asc" }, { name: "asc" }] }),
    actor.role === "ADMIN"
      ? db.host.findMany({
          where: { draining: false },
          orderBy: { name: "asc" },
          include: { pools: { include: { pool: { include: { _count: { select: { addresses: true } } } } } } },
        })
      : Promise.resolve([]),
    db.vServer.groupBy({ by: ["hostId"], _count: { _all: true }, _sum: { memoryMb: true } }),
    db.osTemplate.findMany({ where: { host: { draining: false, status: { not: "OFFLINE" } } }, orderBy: { name: "asc" }, select: { name: true, distribution: true } }),
  ]);
  const templateNames = [...new Set(templates.map((t) => t.name))];
  // A reseller's customer can have a server only once the reseller has a quota: said at
  // the customer step (to the admin, who can set it), not refused after the last one.
  const resellerIds = [...new Set(customers.map((c) => c.resellerId).filter((id): id is string => id !== null))];
  const withQuota = new Set((await db.resellerQuota.findMany({ where: { resellerId: { in: resellerIds } }, select: { resellerId: true } })).map((q) => q.resellerId));
  // Said at the plan step, not after the last one: which plans no host can take now, and why.
  const planFit = Object.fromEntries(
    await Promise.all(
      plans.map(async (p) => {
        const why = await placeServer(db, { cpuMilli: p.cpuMilli, memoryMb: p.memoryMb, swapMb: p.swapMb, ipv4: p.ipv4Count, ipv6: p.ipv6Count }).then(
          () => null,
          (e: unknown) => (e instanceof AppError ? e.message : String(e)),
        );
        return [p.id, why] as const;
      }),
    ),
  );
  return {
    customers: customers.map((c) => ({ ...c, resellerHasNoQuota: c.resellerId !== null && !withQuota.has(c.resellerId) })),
    plans,
    planFit,
    hosts: hosts.map((h) => {
      const s = sold.find((x) => x.hostId === h.id);
      const free = (family: "IPV4" | "IPV6") =>
        h.pools.filter((p) => p.pool.family === family).reduce((sum, p) => sum + BigInt(poolCounts(p.pool, p.pool._count.addresses).free), 0n);
      return {
        id: h.id,
        name: h.name,
        status: h.status,
        freeMemoryMb: h.memoryMb - (s?._sum.memoryMb ?? 0),
        servers: s?._count._all ?? 0,
        maxServers: h.maxServers,
        freeIpv4: free("IPV4").toString(),
        freeIpv6: free("IPV6").toString(),
      };
    }),
    /** The caller's own SSH keys (offered at the access step). */
    sshKeys: (await listSshKeys(db, actor)).map((k) => ({ id: k.id, name: k.name, fingerprint: k.fingerprint })),
    methods: buildMethods
      .map((m) => (m.value === "template" ? { ...m, distributions: templateNames } : m))
      .filter((m) => m.value !== "template" || m.distributions.length > 0),
  };
}

/** The wizard's choices, as passed to the client component. */
export type WizardOptions = Awaited<ReturnType<typeof wizardOptions>>;
