/**
 * `GET /api/v1/openapi.json`: the API's contract, public so billing modules can read it.
 * Its server URL is the panel's own as this request reached it (the Host, or the
 * proxy's scheme and host with TRUST_PROXY=1), not the address Next.js was started with.
 */
import { openApiDocument } from "@/lib/api/v1/openapi";
import { panelOrigin } from "@/lib/auth/request-origin";

export const dynamic = "force-dynamic";

/** Serves the OpenAPI document. */
export function GET(req: Request): Response {
  return Response.json(openApiDocument(panelOrigin(req.headers) ?? new URL(req.url).origin));
}
