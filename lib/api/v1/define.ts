/**
 * One table defines the billing REST API: each entry has its method, path, schemas and
 * handler. The catch-all route dispatches from it and /api/v1/openapi.json is generated
 * from it, so the documentation cannot drift from what the code accepts.
 */
import type { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";

/** What a handler receives. */
export interface ApiContext<P, Q, B> {
  db: Db;
  actor: Actor;
  params: P;
  query: Q;
  body: B;
}

/** One API operation. */
export interface ApiOperation<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Path below /api/v1 with `{param}` segments. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The success status (200, 201, 202, 204). */
  status: number;
  response: R;
  /** A streamed answer (a download): the handler returns the Response itself, documented with this media type. */
  stream?: { contentType: string; description: string };
  handler: (ctx: ApiContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<z.input<R> | Response>;
}

/** Type helper: declares an operation with inference of its schemas. */
export function defineOperation<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(op: ApiOperation<P, Q, B, R>): ApiOperation {
  return op as unknown as ApiOperation;
}
