"use client";
/**
 * The provisioning wizard: customer → plan → host → system → hostname → resources →
 * addresses → access → review. Admins also choose the server's user ids on the system
 * step (its own user namespace, or shared uids: less safe). The server checks everything
 * again on submit; an error that names a field brings the user back to the step that has it.
 */
import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { createServerAction } from "@/lib/actions/servers/create-server-action";
import { formatCpuMilli, formatMb, formatPrice } from "@/lib/format";
import type { WizardOptions } from "@/lib/server/vservers/provision/wizard-options";
import { SshKeyPicker } from "./ssh-key-picker";

type Step = "customer" | "plan" | "host" | "system" | "hostname" | "resources" | "addresses" | "access" | "review";
const labels: Record<Step, string> = {
  customer: "Customer",
  plan: "Plan",
  host: "Host",
  system: "System",
  hostname: "Hostname",
  resources: "Resources",
  addresses: "Addresses",
  access: "Access",
  review: "Review",
};
const fieldStep: Record<string, Step> = {
  customerId: "customer",
  planId: "plan",
  hostId: "host",
  method: "system",
  distribution: "system",
  userNamespace: "system",
  hostname: "hostname",
  cpuMilli: "resources",
  memoryMb: "resources",
  swapMb: "resources",
  diskMb: "resources",
  pids: "resources",
  ipv4: "addresses",
  ipv6: "addresses",
  ipv4Count: "addresses",
  ipv6Count: "addresses",
  rootPassword: "access",
  sshKey: "access",
  sshKeyIds: "access",
};

const input =
  "mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600 dark:bg-slate-900 dark:ring-slate-700";

/** The wizard. */
export function ProvisionWizard({ options, isAdmin, presetCustomerId }: { options: WizardOptions; isAdmin: boolean; presetCustomerId?: string }) {
  const router = useRouter();
  const steps = useMemo<Step[]>(() => ["customer", "plan", ...(isAdmin ? (["host"] as Step[]) : []), "system", "hostname", "resources", "addresses", "access", "review"], [isAdmin]);
  const [at, setAt] = useState(0);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [pending, start] = useTransition();
  const [d, setD] = useState({
    customerId: presetCustomerId ?? options.customers[0]?.id ?? "",
    planId: options.plans[0]?.id ?? "",
    hostId: "",
    method: options.methods[0]?.value ?? "busybox",
    distribution: options.methods[0]?.distributions[0] ?? "",
    hostname: "",
    limits: {} as Record<string, number>,
    access: "password" as "password" | "key",
    rootPassword: "",
    sshKey: "",
    sshKeyIds: [] as string[],
    userNamespace: true,
  });
  const plan = options.plans.find((p) => p.id === d.planId);
  const step = steps[at]!;
  const set = (patch: Partial<typeof d>) => setD((old) => ({ ...old, ...patch }));
  const value = (key: "cpuMilli" | "memoryMb" | "swapMb" | "diskMb" | "pids") => d.limits[key] ?? plan?.[key] ?? 0;

  function submit() {
    setError(null);
    start(async () => {
      const result = await createServerAction({
        customerId: d.customerId,
        planId: d.planId,
        ...(d.hostId ? { hostId: d.hostId } : {}),
        hostname: d.hostname.trim(),
        method: d.method,
        distribution: d.distribution,
        limits: d.limits,
        ...(d.access === "password" && d.rootPassword ? { rootPassword: d.rootPassword } : {}),
        ...(d.access === "key" && d.sshKey.trim() ? { sshKey: d.sshKey } : {}),
        ...(d.access === "key" && d.sshKeyIds.length ? { sshKeyIds: d.sshKeyIds } : {}),
        ...(isAdmin ? { userNamespace: d.userNamespace } : {}),
        // A skeleton has no init to start: it is built stopped (the method's label says so).
        start: d.method !== "skeleton",
      });
      if (result.ok) {
        router.push(`/servers/${result.data.serverId}?job=${result.data.jobId}`);
        return;
      }
      setError({ message: result.message, field: result.field });
      const back = result.field ? fieldStep[result.field.split(".").at(-1)!] : undefined;
      if (back && steps.includes(back)) setAt(steps.indexOf(back));
    });
  }

  const noQuota = options.customers.find((c) => c.id === d.customerId)?.resellerHasNoQuota ?? false;
  const canNext =
    (step !== "customer" || (d.customerId && !noQuota)) &&
    (step !== "plan" || d.planId) &&
    (step !== "hostname" || /^[a-z0-9.-]{1,253}$/i.test(d.hostname.trim())) &&
    (step !== "access" || (d.access === "password" ? d.rootPassword.length >= 8 : d.sshKey.trim().length > 0 || d.sshKeyIds.length > 0));

  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[12rem_1fr]" data-testid="provision-wizard">
      <ol className="space-y-1 text-sm" aria-label="Steps">
        {steps.map((s, i) => (
          <li key={s}>
            <button
              type="button"
              disabled={i > at}
              onClick={() => setAt(i)}
              aria-current={i === at ? "step" : undefined}
              className={`w-full rounded-md px-3 py-1.5 text-left ${i === at ? "bg-indigo-600 text-white" : i < at ? "text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-slate-800" : "text-slate-400"}`}
            >
              {i + 1}. {labels[s]}
            </button>
          </li>
        ))}
      </ol>
      <section aria-labelledby="step-title" className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
        <h2 id="step-title" className="mb-4 text-lg font-semibold">
          {labels[step]}
        </h2>
        {step === "customer" ? (
          options.customers.length === 0 ? (
            <p className="text-sm text-slate-500">There are no active customers yet. Create one first.</p>
          ) : (
            <label className="block text-sm">
              Customer
              <select className={input} value={d.customerId} onChange={(e) => set({ customerId: e.target.value })} name="customerId">
                {options.customers.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.email}
                    {c.name ? ` (${c.name})` : ""}
                  </option>
                ))}
              </select>
              {noQuota ? (
                <p className="mt-2 text-sm text-amber-700" data-testid="wizard-no-quota">
                  {isAdmin
                    ? "This customer's reseller has no quota yet, so it can have no servers: set one on the reseller's page under Users first."
                    : "You have no quota yet: ask your provider before selling servers."}
                </p>
              ) : null}
            </label>
          )
        ) : null}
        {step === "plan" ? (
          <fieldset className="grid grid-cols-1 gap-3 md:grid-cols-2">
            <legend className="sr-only">Plan</legend>
            {options.plans.map((p) => (
              <label key={p.id} className={`cursor-pointer rounded-lg p-4 ring-1 ${d.planId === p.id ? "ring-2 ring-indigo-600" : "ring-slate-200 dark:ring-slate-700"}`}>
                <input type="radio" name="planId" value={p.id} checked={d.planId === p.id} onChange={() => set({ planId: p.id, limits: {} })} className="sr-only" />
                <span className="block font-semibold">{p.name}</span>
                <span className="block text-sm text-slate-500">
                  {formatCpuMilli(p.cpuMilli)} · {formatMb(p.memoryMb)} RAM · {formatMb(p.diskMb)} disk · {p.ipv4Count}× IPv4 {p.ipv6Count ? `· ${p.ipv6Count}× IPv6` : ""}
                </span>
                <span className="mt-1 block text-sm font-medium">{formatPrice(p.priceCents, p.currency)} / month</span>
                {options.planFit[p.id] ? (
                  <span className="mt-2 block text-xs text-amber-800 dark:text-amber-200" data-testid="plan-no-room">
                    {options.planFit[p.id]}
                  </span>
                ) : null}
              </label>
            ))}
          </fieldset>
        ) : null}
        {step === "host" ? (
          <label className="block text-sm">
            Host
            <select className={input} value={d.hostId} onChange={(e) => set({ hostId: e.target.value })} name="hostId">
              <option value="">Automatic: the host with the most free memory</option>
              {options.hosts.map((h) => (
                <option key={h.id} value={h.id} disabled={h.status === "OFFLINE"}>
                  {h.name} — {formatMb(Math.max(0, h.freeMemoryMb))} free, {h.servers}/{h.maxServers} servers, {h.freeIpv4} IPv4 free {h.status === "OFFLINE" ? "(offline)" : ""}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {step === "system" ? (
          <fieldset className="space-y-2">
            <legend className="sr-only">Build method</legend>
            {options.methods.map((m) => (
              <label key={m.value} className="flex items-center gap-2 text-sm">
                <input type="radio" name="method" value={m.value} checked={d.method === m.value} onChange={() => set({ method: m.value, distribution: m.distributions[0] ?? "" })} /> {m.label}
              </label>
            ))}
            {(options.methods.find((m) => m.value === d.method)?.distributions.length ?? 0) > 0 ? (
              <label className="block pt-2 text-sm">
                {d.method === "template" ? "Template" : "Release"}
                <select className={input} name="distribution" value={d.distribution} onChange={(e) => set({ distribution: e.target.value })}>
                  {options.methods
                    .find((m) => m.value === d.method)!
                    .distributions.map((x) => (
                      <option key={x} value={x}>
                        {x}
                      </option>
                    ))}
                </select>
              </label>
            ) : null}
            {isAdmin ? (
              <fieldset className="space-y-2 border-t border-slate-200 pt-3 dark:border-slate-800" data-testid="wizard-uids">
                <legend className="text-sm font-medium">User ids</legend>
                <label className="flex items-start gap-2 text-sm">
                  <input type="radio" name="userNamespace" value="own" checked={d.userNamespace} onChange={() => set({ userNamespace: true })} />
                  <span>
                    Own user namespace (recommended): root inside is an unprivileged user on the host.
                  </span>
                </label>
                <label className="flex items-start gap-2 text-sm">
                  <input type="radio" name="userNamespace" value="shared" checked={!d.userNamespace} onChange={() => set({ userNamespace: false })} />
                  <span>Shared uids (less safe): root inside is root on the host for every file the server can reach.</span>
                </label>
              </fieldset>
            ) : null}
          </fieldset>
        ) : null}
        {step === "hostname" ? (
          <label className="block text-sm">
            Hostname
            <input className={input} name="hostname" value={d.hostname} onChange={(e) => set({ hostname: e.target.value })} placeholder="web1.example.com" autoFocus />
            <span className="mt-1 block text-xs text-slate-500">The server&apos;s own name; its short name in the panel comes from the first part.</span>
          </label>
        ) : null}
        {step === "resources" && plan ? (
          <div className="space-y-5">
            {(
              [
                ["cpuMilli", "CPU", plan.cpuMilliMax, 10, formatCpuMilli],
                ["memoryMb", "Memory", plan.memoryMbMax, 16, formatMb],
                ["swapMb", "Swap", plan.swapMbMax, 16, formatMb],
                ["diskMb", "Disk", plan.diskMbMax, 64, formatMb],
                ["pids", "Processes", plan.pidsMax, 16, (n: number) => String(n)],
              ] as const
            ).map(([key, label, max, stepSize, fmt]) =>
              max > 0 ? (
                <label key={key} className="block text-sm">
                  <span className="flex justify-between">
                    <span>{label}</span>
                    <span data-testid={`slider-${key}`}>
                      {fmt(value(key))} <span className="text-slate-500">of at most {fmt(max)}</span>
                    </span>
                  </span>
                  <input
                    type="range"
                    name={key}
                    min={Math.min(stepSize, max)}
                    max={max}
                    step={stepSize}
                    value={value(key)}
                    onChange={(e) => set({ limits: { ...d.limits, [key]: Number(e.target.value) } })}
                    className="mt-2 w-full accent-indigo-600"
                  />
                </label>
              ) : null,
            )}
          </div>
        ) : null}
        {step === "addresses" && plan ? (
          <p className="text-sm">
            This plan comes with <strong>{plan.ipv4Count}</strong> IPv4 and <strong>{plan.ipv6Count}</strong> IPv6 address(es). Free ones are taken from the host&apos;s pools when you
            create the server, and never given to two servers.
          </p>
        ) : null}
        {step === "access" ? (
          <div className="space-y-3 text-sm">
            <label className="flex items-center gap-2">
              <input type="radio" name="access" checked={d.access === "password"} onChange={() => set({ access: "password" })} /> Root password
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="access" checked={d.access === "key"} onChange={() => set({ access: "key" })} /> SSH key
            </label>
            {d.access === "password" ? (
              <label className="block">
                Root password
                <input type="password" autoComplete="new-password" className={input} name="rootPassword" value={d.rootPassword} onChange={(e) => set({ rootPassword: e.target.value })} />
                <span className="mt-1 block text-xs text-slate-500">At least 8 characters; not stored after the build.</span>
              </label>
            ) : (
              <>
                <SshKeyPicker keys={options.sshKeys} chosen={d.sshKeyIds} onChange={(sshKeyIds) => set({ sshKeyIds })} />
                <label className="block">
                  {options.sshKeys.length ? "Another public key (optional)" : "SSH public key"}
                  <textarea className={`${input} font-mono`} rows={3} name="sshKey" value={d.sshKey} onChange={(e) => set({ sshKey: e.target.value })} placeholder="ssh-ed25519 AAAA… you@laptop" />
                </label>
              </>
            )}
          </div>
        ) : null}
        {step === "review" && plan ? (
          <dl className="grid grid-cols-2 gap-2 text-sm" data-testid="wizard-review">
            <dt className="text-slate-500">Customer</dt>
            <dd>{options.customers.find((c) => c.id === d.customerId)?.email}</dd>
            <dt className="text-slate-500">Plan</dt>
            <dd>{plan.name}</dd>
            <dt className="text-slate-500">Host</dt>
            <dd>{d.hostId ? options.hosts.find((h) => h.id === d.hostId)?.name : "automatic"}</dd>
            <dt className="text-slate-500">System</dt>
            <dd>
              {options.methods.find((m) => m.value === d.method)?.label}
              {d.distribution ? ` — ${d.distribution}` : ""}
            </dd>
            <dt className="text-slate-500">Hostname</dt>
            <dd>{d.hostname}</dd>
            <dt className="text-slate-500">Resources</dt>
            <dd>
              {formatCpuMilli(value("cpuMilli"))} · {formatMb(value("memoryMb"))} RAM · {formatMb(value("diskMb"))} disk · {value("pids")} processes
            </dd>
            <dt className="text-slate-500">Access</dt>
            <dd>{d.access === "password" ? "root password" : `SSH key${d.sshKeyIds.length + (d.sshKey.trim() ? 1 : 0) > 1 ? "s" : ""}`}</dd>
            <dt className="text-slate-500">User ids</dt>
            <dd className={d.userNamespace ? undefined : "font-semibold text-amber-700 dark:text-amber-300"}>{d.userNamespace ? "own user namespace" : "shared uids (less safe)"}</dd>
          </dl>
        ) : null}
        {error ? (
          <p role="alert" data-testid="wizard-error" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
            {error.message}
          </p>
        ) : null}
        <div className="mt-6 flex justify-between">
          <Button type="button" look="secondary" disabled={at === 0 || pending} onClick={() => setAt(at - 1)}>
            Back
          </Button>
          {step === "review" ? (
            <Button type="button" disabled={pending} onClick={submit}>
              {pending ? "Creating…" : "Create server"}
            </Button>
          ) : (
            <Button type="button" disabled={!canNext} onClick={() => setAt(at + 1)}>
              Next
            </Button>
          )}
        </div>
      </section>
    </div>
  );
}
