/** Asks an agent for its health with a credential before the panel stores either. */
import { createAgentClient, AgentError } from "@/lib/agent-client";
import { AppError } from "@/lib/errors";

/** The agent's health answer; a refusal or silence is a form error naming the field. */
export async function checkAgent(endpoint: string, credential: string, tlsCaPem?: string | null) {
  try {
    return await createAgentClient({ endpoint, credential, tls: tlsCaPem ? { ca: tlsCaPem } : undefined }).health({}, { timeoutMs: 5000 });
  } catch (e) {
    if (e instanceof AgentError && e.code === "UNAUTHORIZED") throw new AppError("BAD_REQUEST", "the agent refused this credential", "credential");
    throw new AppError("BAD_REQUEST", `the agent did not answer: ${(e as Error).message}`, "endpoint");
  }
}
