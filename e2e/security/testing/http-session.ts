/**
 * Plain HTTP against the real panel, as a browser would speak it but without one:
 * next-auth's own login (csrf token, then the credentials callback) giving a session
 * cookie, page requests that report status and redirect target, and server actions
 * called by their id from the build's manifest, as the browser's runtime posts them.
 */
import fs from "node:fs";
import path from "node:path";
import { baseUrl } from "../../testing/browser";

/** Cookies as one header value. */
export type Cookie = string;

function cookiesFrom(res: Response, previous: Cookie = ""): Cookie {
  const jar = new Map(previous.split("; ").filter(Boolean).map((c) => [c.split("=")[0]!, c] as const));
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(";")[0]!;
    jar.set(pair.split("=")[0]!, pair);
  }
  return [...jar.values()].join("; ");
}

/** The session cookie's name (plain http in tests). */
export const sessionCookieName = "next-auth.session-token";

/** Logs in through next-auth's endpoints; returns the cookies, or the error code next-auth gave. */
export async function httpLogin(email: string, password: string, code?: string): Promise<{ cookie: Cookie } | { error: string }> {
  const csrfRes = await fetch(`${baseUrl()}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  let cookie = cookiesFrom(csrfRes);
  const form = new URLSearchParams({ csrfToken, email, password, json: "true", ...(code ? { code } : {}) });
  const res = await fetch(`${baseUrl()}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: form,
    redirect: "manual",
  });
  cookie = cookiesFrom(res, cookie);
  const location = res.headers.get("location") ?? ((await res.json().catch(() => ({}))) as { url?: string }).url ?? "";
  const error = new URL(location || baseUrl(), baseUrl()).searchParams.get("error");
  if (error || !cookie.includes(`${sessionCookieName}=`)) return { error: error ?? `no session (status ${res.status})` };
  return { cookie };
}

/** Like {@link httpLogin}, throwing when the login fails. */
export async function mustLogin(email: string, password: string, code?: string): Promise<Cookie> {
  const r = await httpLogin(email, password, code);
  if ("error" in r) throw new Error(`login of ${email} failed: ${r.error}`);
  return r.cookie;
}

/** What a page request ended in. */
export interface PageAnswer {
  status: number;
  /** Redirect target path (3xx), else null. */
  location: string | null;
  body: string;
}

/** GETs a page without following redirects. */
export async function getPage(pathname: string, cookie?: Cookie): Promise<PageAnswer> {
  const res = await fetch(`${baseUrl()}${pathname}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });
  const location = res.headers.get("location");
  return { status: res.status, location: location ? new URL(location, baseUrl()).pathname : null, body: await res.text() };
}

interface ManifestEntry {
  workers: Record<string, unknown>;
  filename?: string;
  exportedName?: string;
}

/** The id of a server action and a page route it can be posted to, from the production build. */
export function serverActionId(file: string, exportedName: string): { id: string; pages: string[] } {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(".next/server/server-reference-manifest.json"), "utf8")) as { node: Record<string, ManifestEntry> };
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (entry.filename === file && entry.exportedName === exportedName) return { id, pages: Object.keys(entry.workers) };
  }
  throw new Error(`server action ${file}:${exportedName} is not in the build's manifest`);
}

/**
 * Posts a server action as the browser's runtime does (`Next-Action` header, arguments
 * as a JSON array) to `pagePath`; returns the status and the raw RSC answer.
 */
export async function postAction(pagePath: string, actionId: string, args: unknown[], headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(`${baseUrl()}${pagePath}`, {
    method: "POST",
    headers: { accept: "text/x-component", "next-action": actionId, "content-type": "text/plain;charset=UTF-8", ...headers },
    body: JSON.stringify(args),
    redirect: "manual",
  });
  return { status: res.status, text: await res.text() };
}

/** The ActionResult inside an RSC answer (the line carrying `"ok":`), or null. */
export function actionResult(text: string): { ok: boolean; message?: string; field?: string } | null {
  for (const line of text.split("\n")) {
    const json = line.slice(line.indexOf(":") + 1);
    if (!json.includes('"ok":')) continue;
    try {
      const v = JSON.parse(json) as unknown;
      if (v && typeof v === "object" && "ok" in v) return v as { ok: boolean; message?: string };
    } catch {
      // not this line
    }
  }
  return null;
}
