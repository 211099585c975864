/** `GET /api/v1/openapi.json`: the API's contract, public so billing modules can read it. */
import { openApiDocument } from "@/lib/api/v1/openapi";

export const dynamic = "force-dynamic";

/** Serves the OpenAPI document. */
export function GET(req: Request): Response {
  const url = new URL(req.url);
  return Response.json(openApiDocument(`${url.protocol}//${url.host}`));
}
