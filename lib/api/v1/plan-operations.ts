/** REST operations on plans and jobs. */
import { createPlan, listPlans } from "@/lib/server/plans/plans";
import { createPlanInput } from "@/lib/server/plans/plan-schemas";
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
