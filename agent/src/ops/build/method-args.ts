/**
 * The METHOD-OPTIONS after `--` of `vserver NAME build -m METHOD … -- METHOD-OPTIONS`
 * (and `methodArgs` of the API), parsed and validated before anything is made. Each
 * option is one argv word; nothing is ever passed through a shell. Host paths (a
 * template file, a `file:` mirror or repository) are only accepted from the CLI, which
 * runs as root on the host: the API names templates and servers instead.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { badInput } from "../../errors";

/** Every build method. */
export const BUILD_METHODS = ["skeleton", "busybox", "debootstrap", "rpm", "template"] as const;

/** One of {@link BUILD_METHODS}. */
export type BuildMethodName = (typeof BUILD_METHODS)[number];

/** A parsed method with its options. */
export type MethodSpec =
  | { method: "skeleton" }
  | { method: "busybox" }
  | { method: "debootstrap"; release: string; mirror?: string; variant?: string; include: string[]; components: string[] }
  | { method: "rpm"; distribution: string; repos: string[]; packages: string[]; releasever?: string }
  | { method: "template"; source: string; reflink: boolean };

/** Where the arguments come from. */
export interface MethodArgsContext {
  /** The CLI (root on the host) may name host files and file: URLs; the API may not. */
  allowHostPaths: boolean;
}

/** debootstrap's variants that make a usable root here. */
export const DEBOOTSTRAP_VARIANTS = ["minbase", "buildd", "default"];

const releaseName = /^[a-z][a-z0-9.+-]{0,39}$/;
const packageName = /^[A-Za-z0-9][A-Za-z0-9.+_:~-]{0,127}$/;

function parse(method: string, args: string[], options: NonNullable<ParseArgsConfig["options"]>) {
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true });
  } catch (e) {
    throw badInput("methodArgs", `${method}: ${(e as Error).message}`);
  }
}

/** Checks a mirror or repository URL: http(s), or file: for the CLI. */
export function checkRepoUrl(url: string, field: string, ctx: MethodArgsContext): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw badInput(field, `"${url}" is not a URL`);
  }
  if (u.protocol === "http:" || u.protocol === "https:") return url;
  if (u.protocol === "file:") {
    if (!ctx.allowHostPaths) throw badInput(field, "file: URLs are only accepted from the host's CLI");
    return url;
  }
  throw badInput(field, `"${url}": only http, https and file URLs are supported`);
}

function list(values: string[] | undefined, field: string, pattern: RegExp): string[] {
  const out = (values ?? []).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
  for (const v of out) if (!pattern.test(v)) throw badInput(field, `"${v}" is not a valid name`);
  return out;
}

/** Parses and validates the method options; BAD_REQUEST (field methodArgs) names what is wrong. */
export function parseMethodArgs(method: string, args: readonly string[], ctx: MethodArgsContext): MethodSpec {
  const a = [...args];
  switch (method) {
    case "skeleton":
    case "busybox":
      if (a.length) throw badInput("methodArgs", `${method} takes no method options`);
      return { method };
    case "debootstrap": {
      const { values: v } = parse(method, a, {
        dist: { type: "string", short: "d" },
        mirror: { type: "string", short: "m" },
        variant: { type: "string" },
        include: { type: "string", multiple: true },
        components: { type: "string" },
      });
      const release = v.dist as string | undefined;
      if (!release) throw badInput("methodArgs", "debootstrap needs -d RELEASE (e.g. -d bookworm)");
      if (!releaseName.test(release)) throw badInput("methodArgs", `"${release}" is not a release name`);
      const variant = v.variant as string | undefined;
      if (variant !== undefined && !DEBOOTSTRAP_VARIANTS.includes(variant)) {
        throw badInput("methodArgs", `--variant ${variant}: use one of ${DEBOOTSTRAP_VARIANTS.join(", ")}`);
      }
      return {
        method,
        release,
        mirror: v.mirror === undefined ? undefined : checkRepoUrl(v.mirror as string, "methodArgs", ctx),
        variant,
        include: list(v.include as string[] | undefined, "methodArgs", packageName),
        components: list(v.components === undefined ? undefined : [v.components as string], "methodArgs", /^[a-z][a-z0-9-]{0,31}$/),
      };
    }
    case "rpm": {
      const { values: v } = parse(method, a, {
        dist: { type: "string", short: "d" },
        repo: { type: "string", multiple: true },
        package: { type: "string", short: "p", multiple: true },
        releasever: { type: "string" },
      });
      const distribution = v.dist as string | undefined;
      if (!distribution) throw badInput("methodArgs", "rpm needs -d DISTRIBUTION (a directory of VSERVER_CONFDIR/.distributions, or any name with --repo)");
      if (!releaseName.test(distribution)) throw badInput("methodArgs", `"${distribution}" is not a distribution name`);
      const releasever = v.releasever as string | undefined;
      if (releasever !== undefined && !/^[A-Za-z0-9._-]{1,32}$/.test(releasever)) throw badInput("methodArgs", `--releasever "${releasever}" is not valid`);
      return {
        method,
        distribution,
        repos: ((v.repo as string[] | undefined) ?? []).map((r) => checkRepoUrl(r, "methodArgs", ctx)),
        packages: list(v.package as string[] | undefined, "methodArgs", packageName),
        releasever,
      };
    }
    case "template": {
      const { values: v } = parse(method, a, { source: { type: "string", short: "s" }, "no-reflink": { type: "boolean" } });
      const source = v.source as string | undefined;
      if (!source) throw badInput("methodArgs", "template needs --source FILE.tar.zst|TEMPLATE|SERVER");
      if (source.includes("/") && !ctx.allowHostPaths) throw badInput("methodArgs", "--source: name a template or a server (host paths only from the CLI)");
      if (source.includes("/") && !source.startsWith("/")) throw badInput("methodArgs", "--source: a file must be given as an absolute path");
      if (!source.includes("/") && !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(source)) throw badInput("methodArgs", `--source "${source}" is not a template or server name`);
      return { method, source, reflink: v["no-reflink"] !== true };
    }
    default:
      throw badInput("method", `"${method}" is not a build method (${BUILD_METHODS.join(", ")})`);
  }
}
