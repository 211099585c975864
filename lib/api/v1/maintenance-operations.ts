/** REST operations of slow work on a server after its build: reinstall (owners, with a scope for customers' tokens, and providers). */
import { z } from "zod";
import { reinstallInput, requestReinstall } from "@/lib/server/vservers/request-maintenance";
import { defineOperation } from "./define";
import { idParams } from "./schemas";

/** The operations. */
export const maintenanceOperations = [
  defineOperation({
    method: "POST",
    path: "/servers/{id}/reinstall",
    operationId: "reinstallServer",
    summary:
      "Reinstall a server: a fresh system by `method` (and `distribution`), name, addresses and limits kept; the old system comes back if the new one does not run. Everything on the disk is replaced. `sshKeyIds` are keys of the token owner's account. Returns at once; follow the job.",
    tag: "servers",
    params: idParams,
    body: reinstallInput,
    status: 202,
    response: z.object({ jobId: z.string() }),
    handler: ({ db, actor, params, body }) => requestReinstall(db, actor, params.id, body),
  }),
];
