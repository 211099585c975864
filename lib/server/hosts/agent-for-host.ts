/**
 * A typed agent client for a Host row: the sealed credential is opened with the panel
 * secret only here, at the moment of a call.
 */
import { createAgentClient, type AgentClient } from "@/lib/agent-client";
import { hostCredentialPurpose, panelSecret } from "@/lib/env";
import { open } from "@/lib/security/secret-box";

/** The fields of a host needed to reach its agent. */
export interface HostEndpoint {
  endpoint: string;
  credentialCiphertext: string;
  /** The agent's certificate (or its CA) to trust for https endpoints. */
  tlsCaPem?: string | null;
}

/** Creates a client for the host's agent. */
export function agentForHost(host: HostEndpoint, defaultTimeoutMs = 30_000): AgentClient {
  const credential = open(panelSecret(), hostCredentialPurpose, host.credentialCiphertext);
  return createAgentClient({ endpoint: host.endpoint, credential, defaultTimeoutMs, tls: host.tlsCaPem ? { ca: host.tlsCaPem } : undefined });
}
