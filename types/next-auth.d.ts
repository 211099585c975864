/** The panel's additions to next-auth's session and token types. */
import type { RoleName } from "@/lib/auth/roles";

declare module "next-auth" {
  interface Session {
    user?: { id: string; email: string; name: string; role: RoleName };
    /** "enroll": two-factor login is required and not set up; only enrollment is allowed. */
    twoFactor?: "ok" | "enroll";
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: string;
    /** The user's sessionVersion when the token was issued. */
    sv?: number;
    checkedAt?: number;
    /** When the user logged in (ms); the session's absolute lifetime counts from here. */
    loginAt?: number;
    twoFactor?: "ok" | "enroll";
    revoked?: boolean;
  }
}
