"use server";
/** Deletes an empty pool. */
import { runOperation } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { deletePool } from "@/lib/server/ip-pools/delete-pool";

/** Deletes an empty pool. */
export async function deletePoolAction(poolId: string): Promise<ActionResult<null>> {
  return runOperation(deletePool, [poolId], { revalidate: ["/admin/ip-pools"] });
}
