/** The panel's additions to next-auth's session and token types. */
import type { RoleName } from "@/lib/auth/roles";

declare module "next-auth" {
  interface Session {
    user?: { id: string; email: string; name: string; role: RoleName };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: string;
    /** The user's sessionVersion when the token was issued. */
    sv?: number;
    checkedAt?: number;
    revoked?: boolean;
  }
}
