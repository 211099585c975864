/** REST operations of rescue mode: start (the one-time root password is in this answer only) and end. */
import { z } from "zod";
import { requestRescueEnd, requestRescueStart, rescueStartInput } from "@/lib/server/vservers/rescue/request-rescue";
import { defineOperation } from "./define";
import { idParams } from "./schemas";

/** The operations. */
export const rescueOperations = [
  defineOperation({
    method: "POST",
    path: "/servers/{id}/rescue",
    operationId: "startServerRescue",
    summary:
      "Start a server in rescue mode: it boots the host's rescue system (busybox) with its own root at /mnt, reachable by the console and on its own addresses, until it is ended, the server is started normally, or the admin's time limit (default 60 min, `until`) ends it. `rootPassword` is the rescue system's one-time root password: it is in this answer only and kept nowhere. `sshKeyIds` are keys of the token owner's account (default: every key of the server owner's account). Returns at once; follow the job.",
    tag: "servers",
    params: idParams,
    body: rescueStartInput,
    status: 202,
    response: z.object({ jobId: z.string(), rootPassword: z.string(), until: z.date().transform((d) => d.toISOString()) }),
    handler: ({ db, actor, params, body }) => requestRescueStart(db, actor, params.id, body),
  }),
  defineOperation({
    method: "DELETE",
    path: "/servers/{id}/rescue",
    operationId: "endServerRescue",
    summary: "End a server's rescue mode: the rescue system stops and the server boots from its own root. Returns at once; follow the job.",
    tag: "servers",
    params: idParams,
    body: z.object({}).strict(),
    status: 202,
    response: z.object({ jobId: z.string() }),
    handler: ({ db, actor, params }) => requestRescueEnd(db, actor, params.id),
  }),
];
