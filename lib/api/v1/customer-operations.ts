/** REST operations on customers. */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
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

/** An operation on one customer (by id, no body) that the caller must be able to see:
 * suspend, unsuspend and delete differ only in what `act` does once it is found. */
function onCustomer<R extends z.ZodType>(
  op: { method: "POST" | "DELETE"; path: string; operationId: string; summary: string; response: R },
  act: (db: Db, actor: Actor, id: string) => Promise<z.input<R>>,
) {
  return defineOperation({
    ...op,
    tag: "customers",
    params: idParams,
    status: 200,
    handler: async ({ db, actor, params }) => {
      await customerOrThrow(db, actor, params.id);
      return act(db, actor, params.id);
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
  onCustomer({ method: "POST", path: "/customers/{id}/suspend", operationId: "suspendCustomer", summary: "Suspend a customer: no login, sessions end.", response: customerOut }, (db, actor, id) => setUserStatus(db, actor, id, "SUSPENDED")),
  onCustomer({ method: "POST", path: "/customers/{id}/unsuspend", operationId: "unsuspendCustomer", summary: "Reactivate a suspended customer.", response: customerOut }, (db, actor, id) => setUserStatus(db, actor, id, "ACTIVE")),
  onCustomer({ method: "DELETE", path: "/customers/{id}", operationId: "deleteCustomer", summary: "Delete a customer that has no servers left.", response: empty }, async (db, actor, id) => {
    await deleteUser(db, actor, id);
    return {};
  }),
];
