"use client";
/**
 * Suspending a server asks for the reason first (the customer sees it on the server's
 * page, the host keeps it with the suspension), then queues the suspension.
 */
import { useState } from "react";
import { ActionButton } from "@/components/ui/action-button";
import { Button } from "@/components/ui/button";
import { powerAction } from "@/lib/actions/servers/power-action";

/** The Suspend button and its reason. */
export function SuspendControl({ serverId, name, onDone }: { serverId: string; name: string; onDone: (data: { jobId: string }) => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  if (!open) {
    return (
      <Button look="secondary" onClick={() => setOpen(true)}>
        Suspend
      </Button>
    );
  }
  return (
    <span className="inline-flex flex-wrap items-center gap-2" data-testid="suspend-form">
      <input
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        maxLength={500}
        placeholder="Reason (the customer sees it)"
        aria-label="Reason for the suspension"
        className="min-w-64 rounded-md px-3 py-2 text-sm ring-1 ring-slate-300 dark:bg-slate-900 dark:ring-slate-700"
      />
      <ActionButton look="danger" action={() => powerAction(serverId, "suspend", reason.trim() || undefined)} onDone={onDone}>
        Suspend {name}
      </ActionButton>
      <Button look="secondary" onClick={() => setOpen(false)}>
        Cancel
      </Button>
    </span>
  );
}
