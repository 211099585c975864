/** Input of server provisioning (wizard and REST API). */
import { z } from "zod";
import { hostName } from "@/lib/protocol/names";
import { buildMethod } from "@/lib/protocol/vservers";
import { sshKeyIdsInput } from "@/lib/server/ssh-keys/chosen-ssh-keys";

/** The sliders a customer (or its provider) may set within the plan. */
export const sliderInput = z
  .object({
    cpuMilli: z.number().int().min(10).optional(),
    memoryMb: z.number().int().min(16).optional(),
    swapMb: z.number().int().min(0).optional(),
    diskMb: z.number().int().min(16).optional(),
    pids: z.number().int().min(16).optional(),
  })
  .strict();

/** Parsed sliders. */
export type SliderInput = z.infer<typeof sliderInput>;

/** Provisioning input. */
export const provisionInput = z
  .object({
    customerId: z.string().min(1).max(64),
    planId: z.string().min(1).max(64),
    /** Only admins choose the host; otherwise placement picks it. */
    hostId: z.string().max(64).optional(),
    hostname: hostName,
    method: buildMethod.default("busybox"),
    distribution: z.string().max(64).default(""),
    rootPassword: z.string().min(8, "must have at least 8 characters").max(256).optional(),
    sshKey: z
      .string()
      .trim()
      .max(16384)
      .regex(/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-[a-z0-9@.-]+) [A-Za-z0-9+/=]+( .*)?$/, "must be one OpenSSH public key line")
      .optional(),
    /** Keys from the caller's own account (Account → SSH keys), besides `sshKey`. */
    sshKeyIds: sshKeyIdsInput,
    limits: sliderInput.default({}),
    start: z.boolean().default(true),
    /** Its own user namespace (the default); false = shared uids, less safe, admins only. */
    userNamespace: z.boolean().default(true),
  })
  .strict();

/** Parsed provisioning input. */
export type ProvisionInput = z.infer<typeof provisionInput>;
