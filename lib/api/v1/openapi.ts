/** The OpenAPI 3.1 document of the REST API, generated from the API table. */
import { z } from "zod";
import type { ApiOperation } from "./define";
import { apiOperations } from "./registry";
import { customerOperationScopes, rolesFor } from "./role-access";
import { tokenScopes } from "@/lib/server/api-tokens/token-scopes";

function schemaOf(s: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  return z.toJSONSchema(s, { io, unrepresentable: "any" }) as Record<string, unknown>;
}

function parameters(op: ApiOperation): unknown[] {
  const out: unknown[] = [];
  for (const [where, schema] of [
    ["path", op.params],
    ["query", op.query],
  ] as const) {
    if (!schema) continue;
    const json = schemaOf(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, s] of Object.entries(json.properties ?? {})) {
      out.push({ name, in: where, required: where === "path" || (json.required ?? []).includes(name), schema: s });
    }
  }
  return out;
}

const errorSchema = {
  type: "object",
  properties: { error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" }, field: { type: "string" } }, required: ["code", "message"] } },
};

/** Builds the document (base URL from the request). */
export function openApiDocument(serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of apiOperations) {
    paths[op.path] ??= {};
    const roles = rolesFor(op.operationId);
    const scope = customerOperationScopes[op.operationId];
    paths[op.path]![op.method.toLowerCase()] = {
      operationId: op.operationId,
      summary: op.summary,
      description: `Tokens of: ${roles.map((r) => r.toLowerCase()).join(", ")}${scope ? ` (a customer's token needs the scope \`${scope}\` and reaches only its own servers)` : ""}.`,
      "x-roles": roles,
      ...(scope ? { "x-customer-scope": scope } : {}),
      tags: [op.tag],
      parameters: parameters(op),
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: schemaOf(op.body, "input") } } } } : {}),
      responses: {
        [String(op.status)]: op.stream
          ? { description: op.stream.description, content: { [op.stream.contentType]: { schema: { type: "string", format: "binary" } } } }
          : { description: "Success", content: { "application/json": { schema: schemaOf(op.response, "output") } } },
        "400": { description: "Invalid input (the field is named)", content: { "application/json": { schema: errorSchema } } },
        "401": { description: "Missing or invalid token", content: { "application/json": { schema: errorSchema } } },
        "403": { description: "The token's role or scopes do not allow this operation", content: { "application/json": { schema: errorSchema } } },
        "404": { description: "Not found (or not yours)", content: { "application/json": { schema: errorSchema } } },
        "409": { description: "Conflict with the current state", content: { "application/json": { schema: errorSchema } } },
        "422": { description: "Beyond a reseller's quota or per-server bounds (the field is named)", content: { "application/json": { schema: errorSchema } } },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "VServer Panel API", version: "1.0.0", description: "Billing integration: plans, customers, servers and jobs. Authenticate with `Authorization: Bearer <token>` (create tokens in the panel or with `npm run admin -- token create`)." },
    servers: [{ url: `${serverUrl}/api/v1` }],
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: `Admins' and resellers' tokens act with all their creator's rights. Customers' tokens reach only the customer's own servers and the operations marked with x-customer-scope, each needing its scope: ${Object.entries(tokenScopes)
            .map(([s, what]) => `\`${s}\` (${what})`)
            .join(", ")}.`,
        },
      },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
