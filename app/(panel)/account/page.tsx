/** `/account`: the signed-in user's own account: password, two-factor login, SSH keys, sessions, theme. */
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { ChangePasswordForm, SupportConsentForm } from "@/components/account/account-forms";
import { SignOutEverywhere } from "@/components/account/sessions-card";
import { SshKeysCard } from "@/components/account/ssh-keys-card";
import { TwoFactorEnroll } from "@/components/account/two-factor-enroll";
import { TwoFactorManage } from "@/components/account/two-factor-manage";
import { load } from "@/lib/server/load";
import { readSupportConsent } from "@/lib/server/users/read-support-consent";
import { formatDateTime } from "@/lib/format";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireUser } from "@/lib/server/auth/current-user";
import { twoFactorStatus } from "@/lib/server/two-factor/manage-own";
import { listSshKeys } from "@/lib/server/ssh-keys/list-ssh-keys";

export const metadata: Metadata = { title: "Account" };
export const dynamic = "force-dynamic";

/** Account page. */
export default async function AccountPage() {
  const user = await requireUser();
  const actor = await currentActor();
  const [row, twoFactor, sshKeys] = await Promise.all([
    load(readSupportConsent, actor).then((allowSupportConsole) => ({ allowSupportConsole })),
    load(twoFactorStatus, actor),
    load(listSshKeys, actor),
  ]);
  return (
    <>
      <PageHeader title="Account" description={user.email} />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card title="Password">
          <ChangePasswordForm />
        </Card>
        <Card title="Two-factor login">
          {twoFactor.enabled ? (
            <TwoFactorManage summary={{ enabledAt: twoFactor.enabledAt ? formatDateTime(twoFactor.enabledAt) : null, required: twoFactor.required, recoveryCodesLeft: twoFactor.recoveryCodesLeft }} />
          ) : (
            <TwoFactorEnroll doneHref="/account" />
          )}
        </Card>
        <Card title="SSH keys">
          <SshKeysCard keys={sshKeys.map((k) => ({ id: k.id, name: k.name, type: k.type, bits: k.bits, fingerprint: k.fingerprint, added: formatDateTime(k.createdAt) }))} />
        </Card>
        <Card title="Sessions">
          <SignOutEverywhere />
        </Card>
        {user.role === "CUSTOMER" ? (
          <Card title="Support access">
            <SupportConsentForm allowed={row.allowSupportConsole} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
