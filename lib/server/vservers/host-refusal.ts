/**
 * A host's refusal of a change (limits, addresses) as the panel's error: the agent names
 * its wire field (`limits.memory`), the panel names the slider (`memoryMb`, rowFieldOf),
 * so the form marks the control the user moved.
 */
import { AgentError } from "@/lib/agent-client";
import { AppError } from "@/lib/errors";
import { rowFieldOf } from "./resize/row-field";

/** Maps a host's refusal to the panel's error, naming the slider. */
export function hostRefusal(error: unknown): AppError {
  if (error instanceof AgentError && ["BAD_REQUEST", "LIMIT_EXCEEDED", "BUSY", "WRONG_STATE", "UNSUPPORTED"].includes(error.code)) {
    return new AppError("CONFLICT", `the host refused the change: ${error.message}`, rowFieldOf(error.field));
  }
  return new AppError("AGENT_FAILED", `the host did not apply the change: ${error instanceof Error ? error.message : String(error)}`);
}

