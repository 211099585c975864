"use client";
/**
 * A server whose build failed: what went wrong (the job's error; its log is in the
 * history below), and — for its provider — build it again or delete it (its addresses
 * go back to the pool). A customer is told its provider has been shown the same.
 */
import { useRouter } from "next/navigation";
import { ActionButton } from "@/components/ui/action-button";
import { powerAction } from "@/lib/actions/servers/power-action";
import { retryBuildAction } from "@/lib/actions/servers/retry-build-action";

/** The card's body. */
export function BuildFailedCard({ serverId, name, error, provider }: { serverId: string; name: string; error: string | null; provider: boolean }) {
  const router = useRouter();
  return (
    <div className="space-y-3 text-sm" data-testid="build-failed">
      <p>
        The build of {name} failed{error ? `: ${error}` : ""}. Nothing of it is left on the host; its addresses are held until it is built again or deleted.
      </p>
      {provider ? (
        <div className="flex flex-wrap gap-2">
          <ActionButton action={() => retryBuildAction(serverId)} onDone={(d) => router.push(`/servers/${serverId}?job=${d.jobId}`)}>
            Build again
          </ActionButton>
          <ActionButton look="danger" confirm={{ title: `Delete ${name}?`, consequence: "What was built of it is removed and its addresses go back to the pool. This cannot be undone.", typeToConfirm: name }} action={() => powerAction(serverId, "terminate")} onDone={() => router.push("/servers")}>
            Delete
          </ActionButton>
        </div>
      ) : (
        <p className="text-slate-500">Your provider sees this too and can build it again.</p>
      )}
    </div>
  );
}
