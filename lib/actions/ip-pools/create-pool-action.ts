"use server";
/** Creates a pool from the form (reserved: comma or whitespace separated). */
import { formObject, runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { createPool } from "@/lib/server/ip-pools/create-pool";

/** Creates a pool from the form (reserved: comma or whitespace separated). */
export async function createPoolAction(_prev: unknown, form: FormData): Promise<ActionResult<{ id: string }>> {
  const raw = formObject(form, { numbers: ["assignPrefix"], lists: ["hostIds"] });
  raw.reserved = typeof raw.reserved === "string" ? raw.reserved.split(/[\s,]+/).filter(Boolean) : [];
  return runAction(async (actor) => ({ id: (await createPool(db(), actor, raw)).id }), { revalidate: ["/admin/ip-pools"], message: "Pool created." });
}
