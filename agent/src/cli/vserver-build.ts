/** `vserver NAME build -m skeleton|busybox [options]` (util-vserver's build syntax). */
import { parseCidr } from "../kernel/net";
import { buildVserver } from "../ops/build/build-vserver";
import { cliPaths, intOption, parseOptions, UsageError } from "./cli-support";
import { EXIT } from "./exit-codes";
import { LIMIT_HELP, LIMIT_OPTIONS, limitsFromOptions } from "./limit-options";

/** Help of build. */
export const BUILD_HELP = `vserver NAME build -m METHOD [options] [-- METHOD-ARGS]
  -m, --method M       skeleton (directories and config) or busybox (a static busybox
                       with init: the server can start and run commands)
  --busybox            same as -m busybox
  --hostname H         the server's nodename (default: NAME)
  --domainname D
  --context N          context id (default: the lowest free one from 100)
  --interface IP/PREFIX  an address (repeatable; interfaces/NN/)
  --nameserver IP      for /etc/resolv.conf (repeatable)
  --no-boot            do not start the server when the agent starts (apps/init/mark)
${LIMIT_HELP}`;

/** Runs build. */
export async function buildCommand(name: string, args: string[]): Promise<number> {
  const dash = args.indexOf("--");
  const own = dash >= 0 ? args.slice(0, dash) : args;
  const { values, positionals } = parseOptions(own, {
    method: { type: "string", short: "m" },
    busybox: { type: "boolean" },
    hostname: { type: "string" },
    domainname: { type: "string" },
    context: { type: "string" },
    interface: { type: "string", multiple: true },
    nameserver: { type: "string", multiple: true },
    "no-boot": { type: "boolean" },
    ...LIMIT_OPTIONS,
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const method = values.busybox ? "busybox" : values.method;
  if (!method) throw new UsageError("build needs -m METHOD (skeleton or busybox)");
  if (values.busybox && values.method && values.method !== "busybox") throw new UsageError("--busybox conflicts with -m " + values.method);
  const cfg = await buildVserver(cliPaths(), {
    name,
    method,
    hostname: values.hostname,
    domainname: values.domainname,
    context: intOption(values.context, "context"),
    interfaces: (values.interface ?? []).map((t, i) => {
      const a = parseCidr(t, `--interface ${i + 1}`);
      return { address: a.address, prefix: a.prefix };
    }),
    nameservers: values.nameserver,
    startOnBoot: !values["no-boot"],
    limits: limitsFromOptions(values),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`vserver ${name} built (context ${cfg.context}, root ${cfg.root})\n`);
  return EXIT.OK;
}
