/** REST operations on customers. */
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { pageInput } from "@/lib/server/pagination";
import { createUser } from "@/lib/server/users/create-user";
import { deleteUser } from "@/lib/server/users/delete-user";
import { getUserOrThrow } from "@/lib/server/users/get-user-or-throw";
import { listUsers } from "@/lib/server/users/list-users";
import { setUserStatus } from "@/lib/server/users/set-user-status";
import { updateUser } from "@/lib/server/users/update-user";
import { emailField, passwordField } from "@/lib/server/users/user-schemas";
import { defineOperation } from "./define";
import { customerOut, empty, idParams, pageOut } from "./schemas";

async function customerOrThrow(ctx: Parameters<typeof getUserOrThrow>[0], actor: Parameters<typeof getUserOrThrow>[1], id: string) {
  const user = await getUserOrThrow(ctx, actor, id);
  if (user.role !== "CUSTOMER") throw new AppError("NOT_FOUND", "Customer not found");
  return user;
}

/** Suspend and unsuspend: one operation each, the same but for the path and the status set. */
function customerStatusOperation(verb: string, operationId: string, summary: string, status: "ACTIVE" | "SUSPENDED") {
  return defineOperation({
    method: "POST",
    path: `/customers/{id}/${verb}`,
    operationId,
    summary,
    tag: "customers",
    params: idParams,
    status: 200,
    response: customerOut,
    handler: async ({ db, actor, params }) => {
      await customerOrThrow(db, actor, params.id);
      return setUserStatus(db, actor, params.id, status);
    },
  });
}

/** The customer operations. */
export const customerOperations = [
  defineOperation({
    method: "GET",
    path: "/customers",
    operationId: "listCustomers",
    summary: "List customers (paged; `q` searches email and name).",
    tag: "customers",
    query: pageInput,
    status: 200,
    response: pageOut(customerOut),
    handler: ({ db, actor, query }) => listUsers(db, actor, { ...query, role: "CUSTOMER" }),
  }),
  defineOperation({
    method: "POST",
    path: "/customers",
    operationId: "createCustomer",
    summary: "Create a customer (of the calling reseller; admins may name a reseller). Without a password one is generated and returned once.",
    tag: "customers",
    body: z.object({ email: emailField, name: z.string().max(200).optional(), password: passwordField.optional(), resellerId: z.string().max(64).optional() }).strict(),
    status: 201,
    response: z.object({ customer: customerOut, generatedPassword: z.string().nullable() }),
    handler: async ({ db, actor, body }) => {
      const created = await createUser(db, actor, { ...body, role: "CUSTOMER" });
      return { customer: created.user, generatedPassword: created.generatedPassword };
    },
  }),
  defineOperation({
    method: "GET",
    path: "/customers/{id}",
    operationId: "getCustomer",
    summary: "Get a customer.",
    tag: "customers",
    params: idParams,
    status: 200,
    response: customerOut,
    handler: ({ db, actor, params }) => customerOrThrow(db, actor, params.id),
  }),
  defineOperation({
    method: "PATCH",
    path: "/customers/{id}",
    operationId: "updateCustomer",
    summary: "Change a customer's name or email.",
    tag: "customers",
    params: idParams,
    body: z.object({ name: z.string().max(200).optional(), email: emailField.optional() }).strict(),
    status: 200,
    response: customerOut,
    handler: async ({ db, actor, params, body }) => {
      await customerOrThrow(db, actor, params.id);
      return updateUser(db, actor, params.id, body);
    },
  }),
  customerStatusOperation("suspend", "suspendCustomer", "Suspend a customer: no login, sessions end.", "SUSPENDED"),
  customerStatusOperation("unsuspend", "unsuspendCustomer", "Reactivate a suspended customer.", "ACTIVE"),
  defineOperation({
    method: "DELETE",
    path: "/customers/{id}",
    operationId: "deleteCustomer",
    summary: "Delete a customer that has no servers left.",
    tag: "customers",
    params: idParams,
    status: 200,
    response: empty,
    handler: async ({ db, actor, params }) => {
      await customerOrThrow(db, actor, params.id);
      await deleteUser(db, actor, params.id);
      return {};
    },
  }),
];
