/** Input schemas for user management (shared by the UI's actions and the REST API). */
import { z } from "zod";
import { roles } from "@/lib/auth/roles";
import { minPasswordLength } from "@/lib/security/password";

/** An e-mail address, normalised to lower case. */
export const emailField = z.string().trim().toLowerCase().email("must be an email address").max(254);

/** A new password. */
export const passwordField = z.string().min(minPasswordLength, `must have at least ${minPasswordLength} characters`).max(1024);

/** Input of createUser. */
export const createUserInput = z
  .object({
    email: emailField,
    name: z.string().trim().max(200).default(""),
    role: z.enum(roles),
    /** Omitted: a password is generated and returned once. */
    password: passwordField.optional(),
    /** For customers of a reseller (admins only; resellers always create their own). */
    resellerId: z.string().max(64).nullish(),
  })
  .strict();

/** Input of updateUser. */
export const updateUserInput = z
  .object({
    name: z.string().trim().max(200).optional(),
    email: emailField.optional(),
    allowSupportConsole: z.boolean().optional(),
  })
  .strict();

const bound = (max: number) => z.number().int().min(0).max(max).optional();

/**
 * Input of setResellerQuota: the totals, and the per-server bounds of what the reseller
 * sells (lib/server/resellers/plan-bounds.ts; left out: unchanged, or the defaults for a
 * new quota). The bounds' ranges are the plan fields' own.
 */
export const resellerQuotaInput = z
  .object({
    maxServers: z.number().int().min(0).max(1_000_000),
    maxCpuMilli: z.number().int().min(0).max(100_000_000),
    maxMemoryMb: z.number().int().min(0).max(1_000_000_000),
    maxDiskMb: z.number().int().min(0).max(1_000_000_000),
    maxIpv4: z.number().int().min(0).max(1_000_000),
    maxIpv6: z.number().int().min(0).max(1_000_000),
    planCpuWeightMax: z.number().int().min(1).max(10_000).optional(),
    planSwapMbMax: bound(10_000_000),
    planPidsMax: z.number().int().min(16).max(4_000_000).optional(),
    planInodesMax: bound(2_000_000_000),
    planIoReadBpsMax: bound(2_000_000_000),
    planIoWriteBpsMax: bound(2_000_000_000),
    planIoReadIopsMax: bound(10_000_000),
    planIoWriteIopsMax: bound(10_000_000),
    planNetRateMbitMax: bound(1_000_000),
    planTrafficGbMax: bound(100_000_000),
    planBackupSlotsMax: bound(1000),
    planBackupKeepMax: bound(1000),
  })
  .strict();
