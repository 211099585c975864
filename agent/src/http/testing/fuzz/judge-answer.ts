/**
 * What the agent must answer to a fuzz request, decided the way the agent itself
 * decides (credential, route, method, size, JSON, the operation's schema) so that a
 * wrong reason is caught too, not only a wrong status: never a 5xx, never silence, an
 * error body of the wire contract, and for a schema refusal the field the schema names.
 */
import type { z } from "zod";
import { agentErrorBody, agentErrorStatus, operations } from "@/lib/protocol";
import type { Answer } from "./raw-client";
import type { FuzzRequest } from "./generate-requests";

const maxBodyBytes = 1024 * 1024;

/** Returns why the answer is wrong, or null when it is right. */
export function judgeAnswer(req: FuzzRequest, answer: Answer): string | null {
  if ("error" in answer) return `no answer (${answer.error})`;
  if (answer.status >= 500) return `status ${answer.status}: ${answer.body.slice(0, 200)}`;
  if (req.method === "HEAD") return answer.status >= 400 && answer.status < 500 ? null : `HEAD answered ${answer.status}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return `status ${answer.status} with a body that is not JSON: ${answer.body.slice(0, 100)}`;
  }
  const error = answer.status === 200 ? null : agentErrorBody.safeParse(parsed);
  if (error && !error.success) return `status ${answer.status} with a body outside the contract: ${answer.body.slice(0, 200)}`;
  const e = error?.data.error;
  if (e && agentErrorStatus[e.code] !== answer.status) return `code ${e.code} with status ${answer.status}`;
  if (e && e.message.trim().length < 5) return `an error without a message: ${answer.body}`;

  const expect = (status: number, code: string, message?: RegExp): string | null => {
    if (answer.status !== status || e?.code !== code) return `expected ${status} ${code}, got ${answer.status} ${e?.code ?? ""} ${e?.message ?? answer.body.slice(0, 120)}`;
    if (message && !message.test(e.message)) return `message "${e.message}" does not say ${message}`;
    return null;
  };
  if (req.auth !== "valid") return expect(401, "UNAUTHORIZED");
  if (!req.op || !/^\/v1\/[A-Za-z]+$/.test(req.path)) return expect(404, "NOT_FOUND", /no such operation/);
  if (req.method !== "POST" && !(req.method === "GET" && req.op === "health")) return expect(400, "BAD_REQUEST", /POST/);
  const text = req.body ?? "";
  if (Buffer.byteLength(text) > maxBodyBytes) return expect(400, "BAD_REQUEST", /larger than/);
  let value: unknown;
  try {
    value = text.trim() === "" ? {} : (JSON.parse(text) as unknown);
  } catch {
    return expect(400, "BAD_REQUEST", /not valid JSON/);
  }
  const schema = (operations as Record<string, { input: z.ZodType }>)[req.op]!.input;
  const result = schema.safeParse(value);
  if (result.success) return answer.status === 200 || (answer.status >= 400 && answer.status < 500) ? null : `status ${answer.status}`;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join(".");
  const wrong = expect(400, "BAD_REQUEST");
  if (wrong) return wrong;
  if (field && e?.field !== field) return `field "${e?.field}" where the schema names "${field}" (${e?.message})`;
  if (field && !e!.message.startsWith(`${field}: `)) return `message "${e!.message}" does not start with the field "${field}"`;
  return null;
}
