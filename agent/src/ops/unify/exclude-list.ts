/**
 * What vunify leaves alone, per distribution family (util-vserver kept such a list per
 * distribution). With copy-on-write sharing every server can still change each of its
 * files, so the list is no longer about keeping configuration writable; it is about
 * what must not be shared at all: a guest can see the shared filesystem's free space
 * grow when its file is deduplicated against a neighbour's identical one, so files that
 * may hold secrets or customer data (configuration, home directories, databases, logs,
 * spools) are never compared. Package data that is the same public bytes on every
 * server (dpkg's info files, apt's lists, apt's caches and archives, which are derived
 * from the public package lists, debconf's templates) is shared even though it lives
 * under /var.
 *
 * Rules are guest paths; a rule matches the path and everything below it. `+PATH`
 * includes, `PATH` (or `-PATH`) excludes; the longest matching rule wins. Host files that
 * replace the built-in list: `VSERVER_CONFDIR/.distributions/DIST/vunify-exclude`, else
 * `VSERVER_CONFDIR/.defaults/apps/vunify/exclude` (same syntax, `#` comments).
 */
import path from "node:path";
import type { HostPaths } from "../../config/paths";
import { readLines } from "../../config/vserver/value-files";

/** A parsed list. */
export interface ExcludeRules {
  /** Normalized guest paths without a trailing slash, with whether they include. */
  rules: { path: string; include: boolean }[];
  /** Where the list came from (for the report). */
  source: string;
}

/** Package families with their own built-in lists. */
export type Family = "debian" | "rpm" | "other";

/** Never shared on any distribution. */
export const COMMON_EXCLUDES = [
  "/etc", "/var", "/home", "/root", "/tmp", "/run", "/proc", "/sys", "/dev", "/srv", "/opt",
  "/mnt", "/media", "/boot", "/usr/local", "/lost+found",
];

/** Package data under /var that is the same public bytes everywhere. */
export const FAMILY_INCLUDES: Record<Family, string[]> = {
  debian: ["/var/lib/dpkg/info", "/var/lib/apt/lists", "/var/cache/apt", "/var/cache/debconf/templates.dat", "/var/cache/debconf/templates.dat-old"],
  rpm: ["/var/cache/dnf", "/var/cache/yum"],
  other: [],
};

function normalize(p: string): string | null {
  if (!p.startsWith("/")) return null;
  const n = path.posix.normalize(p).replace(/\/+$/, "");
  return n === "" ? "/" : n;
}

/** Parses list lines ("/etc/", "+/var/lib/dpkg/info/", "-/opt"); bad lines are ignored. */
export function parseRules(lines: readonly string[], source: string): ExcludeRules {
  const rules: ExcludeRules["rules"] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const include = line.startsWith("+");
    const p = normalize(include || line.startsWith("-") ? line.slice(1).trim() : line);
    if (p) rules.push({ path: p, include });
  }
  return { rules, source };
}

/** The built-in list of a family. */
export function builtinRules(family: Family): ExcludeRules {
  return parseRules([...COMMON_EXCLUDES, ...FAMILY_INCLUDES[family].map((p) => `+${p}`)], `built-in (${family})`);
}

/** The host's list for a server of `distribution` and `family`. */
export function loadRules(paths: HostPaths, distribution: string | null, family: Family): ExcludeRules {
  if (distribution && /^[a-z][a-z0-9.+-]{0,39}$/.test(distribution)) {
    const file = path.join(paths.confDir, ".distributions", distribution, "vunify-exclude");
    const lines = readLines(file);
    if (lines.length) return parseRules(lines, file);
  }
  const file = path.join(paths.confDir, ".defaults", "apps", "vunify", "exclude");
  const lines = readLines(file);
  return lines.length ? parseRules(lines, file) : builtinRules(family);
}

const under = (p: string, rule: string) => rule === "/" || p === rule || p.startsWith(`${rule}/`);

/** Whether guest path `p` ("/usr/bin/x") is left out. */
export function isExcluded(r: ExcludeRules, p: string): boolean {
  let best: { len: number; include: boolean } | null = null;
  for (const rule of r.rules) {
    if (under(p, rule.path) && (!best || rule.path.length > best.len)) best = { len: rule.path.length, include: rule.include };
  }
  return best !== null && !best.include;
}

/** Whether nothing below directory `p` can be included (the walk need not enter it). */
export function canPrune(r: ExcludeRules, p: string): boolean {
  return isExcluded(r, p) && !r.rules.some((rule) => rule.include && rule.path.startsWith(`${p === "/" ? "" : p}/`));
}
