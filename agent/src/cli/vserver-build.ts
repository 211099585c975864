/** `vserver NAME build -m METHOD [options] [-- METHOD-OPTIONS]` (util-vserver's build syntax). */
import path from "node:path";
import { parseCidr } from "../kernel/net";
import { buildVserver } from "../ops/build/build-vserver";
import { cliPaths, intOption, parseOptions, UsageError } from "./cli-support";
import { EXIT } from "./exit-codes";
import { note, say } from "./cli-output";
import { LIMIT_HELP, LIMIT_OPTIONS, limitsFromOptions } from "./limit-options";

/** Help of build. */
export const BUILD_HELP = `vserver NAME build -m METHOD [options] [-- METHOD-OPTIONS]
  -m, --method M       skeleton (directories and config), busybox (a static busybox
                       with init: the server can start and run commands), debootstrap,
                       rpm or template (METHOD-OPTIONS below)
  --busybox            a busybox root with init that can start: alone or with
                       -m skeleton (util-vserver's habit), the same as -m busybox
  --hostname H         the server's nodename (default: NAME)
  --domainname D
  --context N          context id (default: the lowest free one from 100)
  --interface IP/PREFIX  an address (repeatable; interfaces/NN/)
  --nameserver IP      for /etc/resolv.conf (repeatable)
  --no-boot            do not start the server when the agent starts (apps/init/mark)
  --shared-uids        no user namespace: guest ids are host ids (less safe; the default
                       is a user namespace with its own range of 65536 host uids)
  --uid-start N        first host uid of the server's range (default: the lowest free)
${LIMIT_HELP}
METHOD-OPTIONS (after --):
  debootstrap -d RELEASE [-m MIRROR] [--variant minbase|buildd|default] [--include PKG,…]
              [--components main,…]   Debian (Ubuntu with its mirror) by the host's
              debootstrap; defaults in VSERVER_CONFDIR/.distributions/RELEASE/ and
              .defaults/apps/debootstrap/{mirror,cache}
  rpm         -d DISTRO [--repo URL]… [--package PKG]… [--releasever N]   by the host's
              dnf --installroot; repositories and packages also from
              VSERVER_CONFDIR/.distributions/DISTRO/{yum.repos.d/*.repo,pkgs,releasever}
  template    --source FILE.tar.zst|TEMPLATE|SERVER [--no-reflink]   a root from a
              tarball, a template of VSERVER_ROOTDIR/.templates, or a copy of a
              stopped server (sharing extents by reflink where the filesystem can)
SIGINT/SIGTERM during a build undo it; nothing is left.`;

/** Runs build. */
export async function buildCommand(name: string, args: string[]): Promise<number> {
  const dash = args.indexOf("--");
  const own = dash >= 0 ? args.slice(0, dash) : args;
  const methodArgs = dash >= 0 ? args.slice(dash + 1) : [];
  const { values, positionals } = parseOptions(own, {
    method: { type: "string", short: "m" },
    busybox: { type: "boolean" },
    hostname: { type: "string" },
    domainname: { type: "string" },
    context: { type: "string" },
    interface: { type: "string", multiple: true },
    nameserver: { type: "string", multiple: true },
    "no-boot": { type: "boolean" },
    "shared-uids": { type: "boolean" },
    "uid-start": { type: "string" },
    ...LIMIT_OPTIONS,
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const method = values.busybox ? "busybox" : values.method;
  if (!method) throw new UsageError("build needs -m METHOD (skeleton, busybox, debootstrap, rpm or template)");
  // `-m skeleton --busybox` is how util-vserver users ask for a skeleton that can start.
  if (values.busybox && values.method && values.method !== "busybox" && values.method !== "skeleton") throw new UsageError("--busybox conflicts with -m " + values.method);
  const abort = new AbortController();
  const interrupt = () => abort.abort();
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  const cfg = await buildVserver(cliPaths(), {
    name,
    method,
    methodArgs: method === "template" ? absoluteSource(methodArgs) : methodArgs,
    allowHostPaths: true,
    signal: abort.signal,
    hostname: values.hostname,
    domainname: values.domainname,
    context: intOption(values.context, "context"),
    interfaces: (values.interface ?? []).map((t, i) => {
      const a = parseCidr(t, `--interface ${i + 1}`);
      return { address: a.address, prefix: a.prefix };
    }),
    nameservers: values.nameserver,
    startOnBoot: !values["no-boot"],
    userNamespace: !values["shared-uids"],
    uidStart: intOption(values["uid-start"], "uid-start"),
    limits: limitsFromOptions(values),
    log: note,
  }).finally(() => {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
  });
  say(`vserver ${name} built (context ${cfg.context}, root ${cfg.root})`);
  return EXIT.OK;
}

/** A template file given relative to the working directory becomes absolute. */
function absoluteSource(args: string[]): string[] {
  return args.map((a, i) => {
    const prev = args[i - 1];
    const isValue = prev === "--source" || prev === "-s";
    if (isValue && (a.includes("/") || /\.(tar(\.\w+)?|tgz|tzst)$/.test(a))) return path.resolve(a);
    if (a.startsWith("--source=")) {
      const v = a.slice("--source=".length);
      return v.includes("/") || /\.(tar(\.\w+)?|tgz|tzst)$/.test(v) ? `--source=${path.resolve(v)}` : a;
    }
    return a;
  });
}
