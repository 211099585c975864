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

/** Input of setResellerQuota. */
export const resellerQuotaInput = z
  .object({
    maxServers: z.number().int().min(0).max(1_000_000),
    maxCpuMilli: z.number().int().min(0).max(100_000_000),
    maxMemoryMb: z.number().int().min(0).max(1_000_000_000),
    maxDiskMb: z.number().int().min(0).max(1_000_000_000),
    maxIpv4: z.number().int().min(0).max(1_000_000),
    maxIpv6: z.number().int().min(0).max(1_000_000),
  })
  .strict();
