/** REST operations on hosts (admins): maintenance on or off, and emptying a host by moving its servers away. */
import { z } from "zod";
import { updateInput } from "@/lib/server/hosts/host-inputs";
import { updateHost } from "@/lib/server/hosts/update-host";
import { evacuateHostInput, requestHostEvacuation } from "@/lib/server/migration/request-host-evacuation";
import { defineOperation } from "./define";
import { idParams } from "./schemas";

/** The operations. */
export const hostOperations = [
  defineOperation({
    method: "PATCH",
    path: "/hosts/{id}",
    operationId: "updateHost",
    summary: "Admins: change a host's capacity figures, or put it into maintenance (`draining: true`: it takes no new servers) and out of it. Ending maintenance also stops an evacuation after the moves under way.",
    tag: "hosts",
    params: idParams,
    body: updateInput,
    status: 200,
    response: z.object({ id: z.string(), name: z.string(), draining: z.boolean() }),
    handler: async ({ db, actor, params, body }) => {
      const h = await updateHost(db, actor, params.id, body);
      return { id: h.id, name: h.name, draining: h.draining };
    },
  }),
  defineOperation({
    method: "POST",
    path: "/hosts/{id}/evacuate",
    operationId: "evacuateHost",
    summary:
      "Admins: empty a host for maintenance. The host goes into maintenance (no new servers) and its servers move to the other hosts by the placement rules, `parallel` at a time (default 2), each as an offline move job (stopped, copied, started on its new host). A server no host can take stays and is named in the job's log. Returns the job.",
    tag: "hosts",
    params: idParams,
    body: evacuateHostInput,
    status: 202,
    response: z.object({ jobId: z.string() }),
    handler: ({ db, actor, params, body }) => requestHostEvacuation(db, actor, params.id, body),
  }),
];
