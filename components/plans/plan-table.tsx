/** The list of plans with their resources, price and use. */
import Link from "next/link";
import { ActionButton } from "@/components/ui/action-button";
import { Badge } from "@/components/ui/badge";
import { columnsOf, DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { setPlanArchivedAction } from "@/lib/actions/plans/set-plan-archived-action";
import { formatCpuMilli, formatMb, formatPrice } from "@/lib/format";

/** A plan row as the list gives it. */
export interface PlanRow {
  id: string;
  name: string;
  ownerId: string | null;
  cpuMilli: number;
  cpuMilliMax: number;
  memoryMb: number;
  memoryMbMax: number;
  diskMb: number;
  diskMbMax: number;
  ipv4Count: number;
  ipv6Count: number;
  ipv4Max: number;
  ipv6Max: number;
  priceCents: number;
  currency: string;
  archived: boolean;
  _count: { vservers: number };
}

/** Plan table; `canEdit` says which rows the viewer may edit and archive, `editHref` where. */
export function PlanTable({ plans, canEdit, editHref }: { plans: PlanRow[]; canEdit: (p: PlanRow) => boolean; editHref: (id: string) => string }) {
  const columns = columnsOf(plans, [
    {
      header: "Plan",
      cell: (p) => (
        <span className="font-medium">
          {canEdit(p) ? (
            <Link href={editHref(p.id)} className="text-indigo-600 hover:underline">
              {p.name}
            </Link>
          ) : (
            p.name
          )}{" "}
          {p.ownerId ? <Badge tone="indigo">own</Badge> : <Badge>house</Badge>} {p.archived ? <Badge tone="amber">archived</Badge> : null}
        </span>
      ),
    },
    { header: "CPU", cell: (p) => `${formatCpuMilli(p.cpuMilli)} (≤ ${formatCpuMilli(p.cpuMilliMax)})` },
    { header: "Memory", cell: (p) => `${formatMb(p.memoryMb)} (≤ ${formatMb(p.memoryMbMax)})` },
    { header: "Disk", cell: (p) => `${formatMb(p.diskMb)} (≤ ${formatMb(p.diskMbMax)})` },
    { header: "IPs", cell: (p) => `${p.ipv4Count}× v4 (≤ ${p.ipv4Max}) · ${p.ipv6Count}× v6 (≤ ${p.ipv6Max})` },
    { header: "Price", cell: (p) => formatPrice(p.priceCents, p.currency) },
    { header: "Servers", cell: (p) => p._count.vservers },
    {
      header: "",
      cell: (p) =>
        canEdit(p) ? (
          <ActionButton look="secondary" action={setPlanArchivedAction.bind(null, p.id, !p.archived)}>
            {p.archived ? "Restore" : "Archive"}
          </ActionButton>
        ) : null,
    },
  ]);
  return (
    <DataTable testId="plans-table" rows={plans} rowKey={(p) => p.id} empty={<EmptyState title="No plans yet">Create the first plan below.</EmptyState>} columns={columns} />
  );
}
