"use client";
/** Reinstall (a fresh system, everything configured kept), package updates and, for admins, export as a template. */
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { ActionButton } from "@/components/ui/action-button";
import { useConfirm } from "@/components/ui/confirm-dialog";
import { ActionForm, FormField, SubmitButton } from "@/components/ui/form";
import { exportTemplateAction } from "@/lib/actions/servers/export-template-action";
import { reinstallAction } from "@/lib/actions/servers/reinstall-action";
import { updatePackagesAction } from "@/lib/actions/servers/update-packages-action";
import { SshKeyPicker, type PickableKey } from "./ssh-key-picker";
import { AlertLine } from "@/components/ui/outcome-line";

const select = "mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset ring-slate-300 dark:bg-slate-900 dark:ring-slate-700";

/** Maintenance card. */
export function MaintenanceCard({
  serverId,
  name,
  sshKeys,
  running,
  stopped,
  isAdmin,
  methods,
}: {
  serverId: string;
  name: string;
  /** The actor's own account keys, offered for the new system. */
  sshKeys: PickableKey[];
  running: boolean;
  stopped: boolean;
  isAdmin: boolean;
  methods: { value: string; label: string; distributions: string[] }[];
}) {
  const router = useRouter();
  const [method, setMethod] = useState(methods[0]?.value ?? "busybox");
  const [distribution, setDistribution] = useState(methods[0]?.distributions[0] ?? "");
  const [password, setPassword] = useState("");
  const [keyIds, setKeyIds] = useState<string[]>([]);
  const { dialog, ask } = useConfirm();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const chosen = methods.find((m) => m.value === method);
  const go = (jobId: string) => router.push(`/servers/${serverId}?job=${jobId}`);
  return (
    <div className="grid grid-cols-1 gap-6 md:grid-cols-2" data-testid="maintenance">
      <div className="space-y-3 text-sm">
        <h3 className="font-semibold">Reinstall</h3>
        <p className="text-slate-500">A fresh system; name, addresses and limits stay. The old system is kept until the new one runs, and comes back if it does not.</p>
        <label className="block">
          System
          <select
            className={select}
            value={method}
            onChange={(e) => {
              setMethod(e.target.value);
              setDistribution(methods.find((m) => m.value === e.target.value)?.distributions[0] ?? "");
            }}
          >
            {methods.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        {chosen && chosen.distributions.length ? (
          <label className="block">
            {method === "template" ? "Template" : "Release"}
            <select className={select} value={distribution} onChange={(e) => setDistribution(e.target.value)}>
              {chosen.distributions.map((d) => (
                <option key={d}>{d}</option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="block">
          New root password (empty: keep the current one)
          <input type="password" autoComplete="new-password" className={select} value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <SshKeyPicker keys={sshKeys} chosen={keyIds} onChange={setKeyIds} />
        <AlertLine text={error} className="text-red-700" />
        <Button
          type="button"
          look="danger"
          disabled={pending}
          onClick={async () => {
            const sure = await ask({
              title: `Reinstall ${name}?`,
              consequence: "Everything on its disk — files, databases, installed programs — is replaced by a fresh system. Name, addresses and limits stay; take a backup first if you need anything.",
              confirmLabel: "Reinstall",
              typeToConfirm: name,
            });
            if (!sure) return;
            setError(null);
            start(async () => {
              const r = await reinstallAction(serverId, { method, distribution, ...(password ? { rootPassword: password } : {}), ...(keyIds.length ? { sshKeyIds: keyIds } : {}) });
              if (r.ok) go(r.data.jobId);
              else setError(r.message);
            });
          }}
        >
          {pending ? "Queueing…" : "Reinstall"}
        </Button>
        {dialog}
      </div>
      <div className="space-y-6 text-sm">
        <div className="space-y-2">
          <h3 className="font-semibold">Packages</h3>
          <p className="text-slate-500">Runs the server&apos;s own package manager (apt-get or dnf) to install updates; the output appears live.</p>
          <ActionButton look="secondary" disabled={!running} action={() => updatePackagesAction(serverId)} onDone={(d) => go(d.jobId)}>
            Update packages
          </ActionButton>
        </div>
        {isAdmin ? (
          <div className="space-y-2">
            <h3 className="font-semibold">Export as template</h3>
            {stopped ? (
              <ActionForm action={exportTemplateAction.bind(null, serverId)} onSuccess={(d: { jobId: string }) => go(d.jobId)}>
                <FormField label="Template name" name="template" placeholder="debian12-web" />
                <FormField label="Description" name="description" />
                <SubmitButton>Export</SubmitButton>
              </ActionForm>
            ) : (
              <p className="text-slate-500">Stop the server to make a template of it.</p>
            )}
          </div>
        ) : null}
      </div>
    </div>
  );
}
