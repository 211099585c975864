/** Input of enrolling and updating a host. */
import { z } from "zod";
import { parseEndpoint } from "@/lib/agent-client";

/** An agent's endpoint (unix socket path or http(s) URL), as the agent client parses it. */
export const endpointField = z.string().trim().max(300).superRefine((v, ctx) => {
  try {
    parseEndpoint(v);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
  }
});

/** The capacity figures an admin may state for a host. */
const capacity = {
  cpuCores: z.number().int().min(0).max(100000).optional(),
  memoryMb: z.number().int().min(0).max(1_000_000_000).optional(),
  diskMb: z.number().int().min(0).max(1_000_000_000).optional(),
  maxServers: z.number().int().min(0).max(1_000_000).optional(),
};

/** Input of enrolling a host. */
export const enrollInput = z
  .object({
    name: z.string().trim().regex(/^[a-z0-9][a-z0-9.-]{0,62}$/, "must be lower-case letters, digits, dots or dashes"),
    endpoint: endpointField,
    credential: z.string().trim().min(20, "is too short to be an agent credential").max(200),
    /** PEM of the agent's TLS certificate (self-signed) or CA, for https endpoints. */
    tlsCaPem: z
      .string()
      .trim()
      .max(20000)
      .regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/, "must be a PEM certificate")
      .optional(),
    ...capacity,
  })
  .strict();

/** Input of updating a host: capacity figures and the draining flag. */
export const updateInput = z.object({ draining: z.boolean().optional(), ...capacity }).strict();
