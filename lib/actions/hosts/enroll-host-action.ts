"use server";
/** Enrolls a host from the form. */
import { formObject, runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { enrollHost } from "@/lib/server/hosts/enroll-host";

/** Enrolls a host from the form. */
export async function enrollHostAction(_prev: unknown, form: FormData): Promise<ActionResult<{ id: string }>> {
  return runAction(async (actor) => ({ id: (await enrollHost(db(), actor, formObject(form, { numbers: ["cpuCores", "memoryMb", "diskMb", "maxServers"] }))).id }), {
    revalidate: ["/admin/hosts", "/admin"],
    message: "Host enrolled; its agent answered.",
  });
}
