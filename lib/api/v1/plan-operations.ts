/** REST operations on plans and jobs. */
import { z } from "zod";
import { createPlan } from "@/lib/server/plans/create-plan";
import { listPlans } from "@/lib/server/plans/list-plans";
import { previewPlanUpdate } from "@/lib/server/plans/preview-plan-update";
import { updatePlan } from "@/lib/server/plans/update-plan";
import { createPlanInput, updatePlanInput } from "@/lib/server/plans/plan-schemas";
import { getJobOrThrow } from "@/lib/server/jobs/get-job-or-throw";
import { pageInput } from "@/lib/server/pagination";
import { defineOperation } from "./define";
import { idParams, jobOut, pageOut, planOut } from "./schemas";

/** Plan and job operations. */
export const planOperations = [
  defineOperation({
    method: "GET",
    path: "/plans",
    operationId: "listPlans",
    summary: "List the plans the caller may sell (the house's and, for a reseller, its own).",
    tag: "plans",
    query: pageInput,
    status: 200,
    response: pageOut(planOut),
    handler: ({ db, actor, query }) => listPlans(db, actor, query),
  }),
  defineOperation({
    method: "POST",
    path: "/plans",
    operationId: "createPlan",
    summary:
      "Create a plan (a reseller's own plan, or a house plan for admins). A reseller's plan must stay within the per-server bounds its provider set (422 naming the field otherwise); where a bound is not 0, 0 (unlimited) is refused and a left-out inodes, IO, network rate or traffic field takes the bound.",
    tag: "plans",
    body: createPlanInput,
    status: 201,
    response: planOut,
    handler: ({ db, actor, body }) => createPlan(db, actor, body),
  }),
  defineOperation({
    method: "POST",
    path: "/plans/{id}/update-preview",
    operationId: "previewPlanUpdate",
    summary: "What saving this change would do to the servers on the plan (those above a lowered maximum, defaults that change), without saving it.",
    tag: "plans",
    params: idParams,
    body: updatePlanInput,
    status: 200,
    response: z.object({
      servers: z.number(),
      aboveMaximum: z.array(z.object({ serverId: z.string(), name: z.string(), field: z.string(), value: z.number(), max: z.number() })),
      changedDefaults: z.array(z.string()),
    }),
    handler: ({ db, actor, params, body }) => previewPlanUpdate(db, actor, params.id, body),
  }),
  defineOperation({
    method: "PATCH",
    path: "/plans/{id}",
    operationId: "updatePlan",
    summary: "Change a plan, or archive it (`archived: true`): servers on it keep their resources; new servers and plan changes get the new values.",
    tag: "plans",
    params: idParams,
    body: updatePlanInput,
    status: 200,
    response: planOut,
    handler: ({ db, actor, params, body }) => updatePlan(db, actor, params.id, body),
  }),
  defineOperation({
    method: "GET",
    path: "/jobs/{id}",
    operationId: "getJob",
    summary: "A job's state and progress (server creation, start, stop, …).",
    tag: "jobs",
    params: idParams,
    status: 200,
    response: jobOut,
    handler: ({ db, actor, params }) => getJobOrThrow(db, actor, params.id),
  }),
];
