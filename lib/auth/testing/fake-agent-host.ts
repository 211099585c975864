/** The Host row of a fake agent (fake-agent.ts): online, roomy, its credential sealed as enrollment seals it. */
import type { Db } from "@/lib/db/client";
import { hostCredentialPurpose, panelSecret } from "@/lib/env";
import { hashToken } from "@/lib/security/hash-token";
import { seal } from "@/lib/security/secret-box";
import type { FakeAgent } from "./fake-agent";

/** Creates the host `name` for `agent`; returns its id. */
export async function createFakeAgentHost(db: Db, agent: FakeAgent, name: string): Promise<string> {
  const host = await db.host.create({
    data: {
      name,
      endpoint: agent.endpoint,
      credentialHash: hashToken(agent.credential),
      credentialCiphertext: seal(panelSecret(), hostCredentialPurpose, agent.credential),
      status: "ONLINE",
      cpuCores: 64,
      memoryMb: 262_144,
      diskMb: 10_000_000,
      maxServers: 10_000,
    },
  });
  return host.id;
}
