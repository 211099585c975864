"use server";
/** Deletes an empty pool. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { deletePool } from "@/lib/server/ip-pools/delete-pool";

/** Deletes an empty pool. */
export async function deletePoolAction(poolId: string): Promise<ActionResult<null>> {
  return runAction(async (actor) => {
    await deletePool(db(), actor, poolId);
    return null;
  }, { revalidate: ["/admin/ip-pools"] });
}
