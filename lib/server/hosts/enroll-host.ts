/** Enrolls a host after its agent answered with the given credential. */
import type { Db } from "@/lib/db/client";
import { hostCredentialPurpose, panelSecret } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { hashToken } from "@/lib/security/hash-token";
import { seal } from "@/lib/security/secret-box";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { requireAdmin } from "@/lib/server/require-admin";
import { checkAgent } from "./check-agent";
import { enrollInput } from "./host-inputs";

/** Enrolls a host after its agent answered with the given credential. */
export async function enrollHost(db: Db, actor: Actor, raw: unknown) {
  requireAdmin(actor, true);
  const input = parseInput(enrollInput, raw);
  if (await db.host.findUnique({ where: { name: input.name } })) throw new AppError("CONFLICT", "a host with this name exists", "name");
  if (input.endpoint.startsWith("https:") && !input.tlsCaPem) {
    throw new AppError("BAD_REQUEST", "an https agent needs its certificate (printed by the agent next to its credential)", "tlsCaPem");
  }
  const health = await checkAgent(input.endpoint, input.credential, input.tlsCaPem);
  const host = await db.host.create({
    data: {
      name: input.name,
      endpoint: input.endpoint,
      credentialHash: hashToken(input.credential),
      credentialCiphertext: seal(panelSecret(), hostCredentialPurpose, input.credential),
      tlsCaPem: input.tlsCaPem ?? null,
      status: "ONLINE",
      lastSeenAt: new Date(),
      agentVersion: health.agentVersion,
      kernelVersion: health.kernel,
      cgroupVersion: health.cgroup,
      cpuCores: input.cpuCores ?? health.cpuCores,
      memoryMb: input.memoryMb ?? health.memoryMb,
      diskMb: input.diskMb ?? 0,
      maxServers: input.maxServers ?? 100,
    },
  });
  await audit(db, actor, "host.enroll", { type: "host", id: host.id }, { name: host.name, endpoint: host.endpoint });
  return host;
}
