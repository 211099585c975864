/**
 * next-auth's redirect callback, bound to the origin the request came to. next-auth
 * builds every redirect (after sign-in, sign-out) from NEXTAUTH_URL, so a person who
 * reached the panel at another name (http://127.0.0.1:3000, the machine's address, where
 * NEXTAUTH_URL says localhost) was sent to that name after signing out: a host where
 * the browser holds none of this session's cookies. Here a target stays on the name the
 * person used, and nothing leaves the panel: a path or a URL of the panel (at the
 * request's origin or NEXTAUTH_URL's) keeps its path on the request's origin; anything
 * else ("//evil.example", another site) becomes the panel's home page.
 */
import { safeRedirectPath } from "@/lib/security/safe-redirect";
import { originOf } from "./request-origin";

/** The arguments next-auth passes (`baseUrl` is NEXTAUTH_URL's origin). */
export interface RedirectArgs {
  url: string;
  baseUrl: string;
}

/** The callback for a request whose panel origin is `origin` (null: NEXTAUTH_URL's). */
export function redirectOnRequestOrigin(origin: string | null): (args: RedirectArgs) => string {
  return ({ url, baseUrl }) => {
    const configured = originOf(baseUrl);
    const home = origin ?? configured;
    if (!home) return "/";
    let target: URL;
    try {
      // Resolved against the panel, so a path stays on it and "//host" is seen as the host it names.
      target = new URL(url, `${home}/`);
    } catch {
      return `${home}/`;
    }
    // The path is written as safeRedirectPath writes it, so no later resolution can leave the panel.
    if (target.origin === home || target.origin === configured) return `${home}${safeRedirectPath(`${target.pathname}${target.search}${target.hash}`, "/", home)}`;
    return `${home}/`;
  };
}
