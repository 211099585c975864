/** Replaces a host's credential (after the agent rotated it); the agent must accept it. */
import type { Db } from "@/lib/db/client";
import { hostCredentialPurpose, panelSecret } from "@/lib/env";
import { notFound } from "@/lib/errors";
import { hashToken } from "@/lib/security/hash-token";
import { seal } from "@/lib/security/secret-box";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { requireAdmin } from "@/lib/server/require-admin";
import { checkAgent } from "./check-agent";
import { enrollInput } from "./host-inputs";

/** Replaces a host's credential (after the agent rotated it); the agent must accept it. */
export async function replaceHostCredential(db: Db, actor: Actor, id: string, credential: unknown) {
  requireAdmin(actor, true);
  const host = await db.host.findUnique({ where: { id } });
  if (!host) throw notFound("Host not found");
  const token = parseInput(enrollInput.shape.credential, credential);
  await checkAgent(host.endpoint, token, host.tlsCaPem);
  await db.host.update({ where: { id }, data: { credentialHash: hashToken(token), credentialCiphertext: seal(panelSecret(), hostCredentialPurpose, token) } });
  await audit(db, actor, "host.replace-credential", { type: "host", id });
}
