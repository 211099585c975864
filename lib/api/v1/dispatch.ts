/**
 * Serves one REST request from the API table: finds the operation, authenticates the
 * bearer token, parses path, query and body with the operation's schemas, runs it and
 * shapes the answer with its response schema. Errors: `{error:{code,message,field}}`
 * with the code's status; a token that may not see an object gets 404, one whose role or
 * scopes do not allow the operation 403 (role-access.ts).
 */
import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { clientIpFrom } from "@/lib/auth/client-ip";
import { authenticateToken } from "@/lib/server/api-tokens/api-tokens";
import { parseInput } from "@/lib/server/parse-input";
import type { ApiOperation } from "./define";
import { apiOperations } from "./registry";
import { assertOperationAllowed } from "./role-access";

function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });
}

function errorResponse(error: AppError): Response {
  return json(error.status, { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } });
}

function match(method: string, segments: string[]): { op: ApiOperation; params: Record<string, string> } | "method" | null {
  let pathMatched = false;
  for (const op of apiOperations) {
    const parts = op.path.split("/").filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = parts.every((p, i) => {
      if (p.startsWith("{")) {
        params[p.slice(1, -1)] = decodeURIComponent(segments[i]!);
        return true;
      }
      return p === segments[i];
    });
    if (!ok) continue;
    pathMatched = true;
    if (op.method === method) return { op, params };
  }
  return pathMatched ? "method" : null;
}

async function readBody(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.length > 1_000_000) throw new AppError("BAD_REQUEST", "request body too large");
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "request body is not valid JSON");
  }
}

/** Handles a request for `/api/v1/<segments>`. */
export async function dispatchApi(req: Request, segments: string[]): Promise<Response> {
  try {
    const found = match(req.method, segments);
    if (found === null) throw new AppError("NOT_FOUND", "no such API endpoint");
    if (found === "method") throw new AppError("BAD_REQUEST", `${req.method} is not allowed here`);
    const header = req.headers.get("authorization");
    const bearer = header?.startsWith("Bearer ") ? header.slice(7).trim() : null;
    const actor = await authenticateToken(db(), bearer, clientIpFrom(req.headers), req.headers.get("user-agent"));
    if (!actor) return json(401, { error: { code: "UNAUTHORIZED", message: "missing, unknown, expired or revoked API token" } });
    const { op, params } = found;
    assertOperationAllowed(actor, op.operationId);
    const query = Object.fromEntries(new URL(req.url).searchParams);
    const result = await op.handler({
      db: db(),
      actor,
      params: op.params ? parseInput(op.params, params) : params,
      query: op.query ? parseInput(op.query, query) : {},
      body: op.body ? parseInput(op.body, await readBody(req)) : undefined,
    });
    if (op.stream && result instanceof Response) return result;
    return json(op.status, op.response.parse(result));
  } catch (error) {
    if (error instanceof AppError) return errorResponse(error);
    if (error instanceof z.ZodError) {
      console.error("API response did not match its schema", error.issues);
      return json(500, { error: { code: "INTERNAL", message: "internal error" } });
    }
    console.error("API request failed", error);
    return json(500, { error: { code: "INTERNAL", message: "internal error" } });
  }
}
