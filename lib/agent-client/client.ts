/**
 * The typed agent client: one method per entry of `lib/protocol/operations`, made from
 * that table at run time, so the panel can never call an operation the agent does not
 * know or pass it the wrong shape.
 */
import crypto from "node:crypto";
import {
  agentErrorBody,
  operationPath,
  operations,
  type OperationInput,
  type OperationName,
  type OperationOutput,
} from "@/lib/protocol";
import { AgentError } from "./agent-error";
import { parseEndpoint } from "./endpoint";
import { sendJson, type TlsOptions } from "./transport";
import { unreachableMessage } from "./unreachable-message";

/** A typed client: `client.health({})`, `client.startVserver({ name })`, … */
export type AgentClient = {
  [N in OperationName]: (input: OperationInput<N>, options?: CallOptions) => Promise<OperationOutput<N>>;
};

/** Per-call options. */
export interface CallOptions {
  timeoutMs?: number;
  requestId?: string;
}

/** How to reach and authenticate to one agent. */
export interface AgentClientConfig {
  endpoint: string;
  credential: string;
  tls?: TlsOptions;
  defaultTimeoutMs?: number;
}

/** Creates a client for one agent. */
export function createAgentClient(config: AgentClientConfig): AgentClient {
  const endpoint = parseEndpoint(config.endpoint);
  const call = async (name: OperationName, input: unknown, options: CallOptions = {}): Promise<unknown> => {
    const requestId = options.requestId ?? crypto.randomUUID();
    const op = operations[name];
    const parsedInput = op.input.safeParse(input);
    if (!parsedInput.success) {
      const issue = parsedInput.error.issues[0];
      throw new AgentError("BAD_REQUEST", `invalid input for ${name}: ${issue?.message ?? "bad input"}`, requestId, 400, issue?.path.join("."));
    }
    let answer;
    try {
      answer = await sendJson(
        endpoint,
        operationPath(name),
        { authorization: `Bearer ${config.credential}`, "x-request-id": requestId },
        parsedInput.data,
        options.timeoutMs ?? config.defaultTimeoutMs ?? 30_000,
        config.tls,
      );
    } catch (error) {
      throw new AgentError("UNREACHABLE", unreachableMessage(error), requestId, 0);
    }
    if (answer.status >= 200 && answer.status < 300) {
      const body = answer.body as { ok?: boolean; result?: unknown } | undefined;
      const result = op.output.safeParse(body?.result);
      if (body?.ok !== true || !result.success) {
        throw new AgentError("BAD_RESPONSE", `agent sent a malformed ${name} result`, requestId, answer.status);
      }
      return result.data;
    }
    const failure = agentErrorBody.safeParse(answer.body);
    if (failure.success) {
      const e = failure.data.error;
      throw new AgentError(e.code, e.message, e.requestId ?? requestId, answer.status, e.field);
    }
    throw new AgentError("BAD_RESPONSE", `agent answered HTTP ${answer.status} without an error body`, requestId, answer.status);
  };

  const client = {} as Record<OperationName, unknown>;
  for (const name of Object.keys(operations) as OperationName[]) {
    client[name] = (input: unknown, options?: CallOptions) => call(name, input, options);
  }
  return client as AgentClient;
}
