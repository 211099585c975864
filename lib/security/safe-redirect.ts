/**
 * Where to send the browser after a login (or anything else that takes a redirect
 * target from input): the target is resolved against the panel's origin the way a
 * browser resolves it — backslashes as slashes, tabs and newlines dropped, `//host`,
 * `/\host`, `javascript:` — and refused when the result leaves the origin. What comes
 * back is a path on the origin, written so that no later resolution can leave it either.
 * Pure (no Node or DOM APIs): used by the login form in the browser and by the server.
 */

/** Stands in for the origin where the real one is not at hand: the answer is a path, the same for any origin. */
const anyOrigin = "http://panel.invalid";

function resolve(target: string, origin: string): URL | null {
  try {
    return new URL(target, origin);
  } catch {
    return null;
  }
}

/** A same-origin path for `target`, or `fallback` when it is missing, malformed or leaves `origin`. */
export function safeRedirectPath(target: unknown, fallback = "/", origin: string = anyOrigin): string {
  if (typeof target !== "string" || target.length === 0 || target.length > 2048) return fallback;
  const home = resolve("/", origin);
  const url = resolve(target, origin);
  if (!home || !url || url.origin !== home.origin) return fallback;
  // A path that starts with two slashes would be read as another host: keep one.
  const path = `/${url.pathname.replace(/^\/+/, "")}${url.search}${url.hash}`;
  return resolve(path, origin)?.origin === home.origin ? path : fallback;
}
