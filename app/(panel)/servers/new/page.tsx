/** `/servers/new`: the provisioning wizard (admins and resellers). */
import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { ProvisionWizard } from "@/components/servers/provision-wizard";
import { load } from "@/lib/server/load";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";
import { wizardOptions } from "@/lib/server/vservers/provision/wizard-options";

export const metadata: Metadata = { title: "New server" };
export const dynamic = "force-dynamic";

/** Wizard page. */
export default async function NewServerPage({ searchParams }: { searchParams: Promise<{ customer?: string }> }) {
  const user = await requireRole("ADMIN", "RESELLER");
  const { customer } = await searchParams;
  const options = await load(wizardOptions, await currentActor());
  return (
    <>
      <PageHeader title="New server" description="A virtual root-server for a customer, from a plan." />
      <ProvisionWizard options={options} isAdmin={user.role === "ADMIN"} presetCustomerId={customer} />
    </>
  );
}
