/**
 * Roles, where each lands after login, and the navigation each sees. Pages for the
 * later entries are filled by later work; the map is here so every role has its home.
 */

/** The four roles of the data model. */
export const roles = ["ADMIN", "RESELLER", "CUSTOMER", "SUPPORT"] as const;

/** One role. */
export type RoleName = (typeof roles)[number];

/** Type guard for a role string. */
export function isRole(value: unknown): value is RoleName {
  return typeof value === "string" && (roles as readonly string[]).includes(value);
}

/** The page a role lands on after login. */
export const homeFor: Record<RoleName, string> = {
  ADMIN: "/admin",
  RESELLER: "/reseller",
  CUSTOMER: "/servers",
  SUPPORT: "/support",
};

/** One navigation entry. */
export interface NavItem {
  href: string;
  label: string;
}

/** The navigation of each role, in display order. */
export const navFor: Record<RoleName, NavItem[]> = {
  ADMIN: [
    { href: "/admin", label: "Overview" },
    { href: "/admin/hosts", label: "Hosts" },
    { href: "/admin/backups", label: "Backups" },
    { href: "/servers", label: "Servers" },
    { href: "/admin/plans", label: "Plans" },
    { href: "/requests", label: "Plan requests" },
    { href: "/admin/ip-pools", label: "IP pools" },
    { href: "/admin/reverse-dns", label: "Reverse DNS" },
    { href: "/admin/users", label: "Users" },
    { href: "/admin/tokens", label: "API tokens" },
    { href: "/admin/audit", label: "Audit log" },
    { href: "/admin/security", label: "Security" },
    { href: "/account", label: "Account" },
  ],
  RESELLER: [
    { href: "/reseller", label: "Overview" },
    { href: "/reseller/customers", label: "Customers" },
    { href: "/servers", label: "Servers" },
    { href: "/reseller/plans", label: "Plans" },
    { href: "/requests", label: "Plan requests" },
    { href: "/reseller/tokens", label: "API tokens" },
    { href: "/account", label: "Account" },
  ],
  CUSTOMER: [
    { href: "/servers", label: "My servers" },
    { href: "/account/tokens", label: "API tokens" },
    { href: "/account", label: "Account" },
  ],
  SUPPORT: [
    { href: "/support", label: "Overview" },
    { href: "/servers", label: "Servers" },
    { href: "/support/processes", label: "Processes" },
    { href: "/support/jobs", label: "Jobs" },
    { href: "/account", label: "Account" },
  ],
};
