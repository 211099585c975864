/** What a user row looks like to callers: never the password hash or TOTP secret. */
import type { Prisma } from "@/generated/prisma/sqlite/client";

/** The columns every user read selects. */
export const userSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  status: true,
  resellerId: true,
  allowSupportConsole: true,
  totpEnabled: true,
  lastLoginAt: true,
  createdAt: true,
} satisfies Prisma.UserSelect;

/** A user as shown to callers. */
export type UserView = Prisma.UserGetPayload<{ select: typeof userSelect }>;
