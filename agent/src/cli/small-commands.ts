/** `vkill`, `vuname`, `vattribute`: util-vserver's small tools, by NAME or `--xid N`. */
import { checkVserverName } from "../config/vserver/names";
import { readVserverConfig } from "../config/vserver/read-config";
import { setAttributes } from "../ops/manage/set-attributes";
import { setUserNamespace } from "../ops/userns/set-user-namespace";
import { setUts } from "../ops/manage/set-uts";
import { killVserver, nameOfContext, parseSignal } from "../ops/manage/kill-vserver";
import { cliPaths, intOption, parseOptions, UsageError } from "./cli-support";
import { EXIT, EXIT_HELP } from "./exit-codes";

/** NAME from the first positional or --xid. */
function target(positionals: string[], xid: string | undefined): string {
  if (xid !== undefined) {
    if (positionals.length) throw new UsageError("give NAME or --xid, not both");
    return nameOfContext(cliPaths(), intOption(xid, "xid")!);
  }
  if (positionals.length !== 1) throw new UsageError("expected one vserver NAME (or --xid N)");
  return checkVserverName(positionals[0]!);
}

/** Help of vkill. */
export const VKILL_HELP = `Usage: vkill NAME [-s SIGNAL] | vkill --xid N [-s SIGNAL]
Sends SIGNAL (default TERM; a name like KILL/HUP or a number) to every process of the
server at once: the group is frozen, signalled and thawed, so nothing escapes by forking.
${EXIT_HELP}`;

/** Runs vkill. */
export async function vkillMain(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { xid: { type: "string" }, signal: { type: "string", short: "s" } });
  const name = target(positionals, values.xid);
  const n = await killVserver(cliPaths(), name, parseSignal(values.signal ?? "TERM"));
  process.stderr.write(`vkill: signalled ${n} processes of ${name}\n`);
  return EXIT.OK;
}

/** Help of vuname. */
export const VUNAME_HELP = `Usage: vuname NAME                      print nodename and domainname
       vuname NAME --set --nodename H [--domainname D]
       vuname --xid N --set -t nodename=H   (util-vserver syntax)
The change is persisted (uts/) and applied at once to a running server.
${EXIT_HELP}`;

/** Runs vuname. */
export async function vunameMain(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    xid: { type: "string" }, set: { type: "boolean" }, get: { type: "boolean" },
    nodename: { type: "string" }, domainname: { type: "string" }, tag: { type: "string", short: "t", multiple: true },
  });
  const name = target(positionals, values.xid);
  const change: { nodename?: string; domainname?: string } = { nodename: values.nodename, domainname: values.domainname };
  for (const t of values.tag ?? []) {
    const m = /^(nodename|domainname)=(.*)$/.exec(t);
    if (!m) throw new UsageError(`-t ${t}: expected nodename=VALUE or domainname=VALUE`);
    change[m[1] as "nodename" | "domainname"] = m[2]!;
  }
  const changing = change.nodename !== undefined || change.domainname !== undefined;
  if (changing && !values.set) throw new UsageError("use --set to change names");
  if (values.set && !changing) throw new UsageError("--set needs --nodename or --domainname");
  const now = changing ? await setUts(cliPaths(), name, change) : readVserverConfig(cliPaths(), name);
  process.stdout.write(`nodename:   ${now.nodename}\ndomainname: ${now.domainname}\n`);
  return EXIT.OK;
}

/** Help of vattribute. */
export const VATTRIBUTE_HELP = `Usage: vattribute NAME [--get]
       vattribute NAME --set [--bcap CAP]... [--flag FLAG]... [--userns on|off]
--bcap CAP_X adds a capability to the default bounding set, --bcap ~CAP_X removes one;
--flag F sets a flag, --flag ~F clears it (flags: noreboot, runtmpfs, nonewprivs);
--userns on gives the server its own user namespace and uid range, off switches it to
shared uids (less safe: guest root is host root to files it can reach).
Applied at the next start.
${EXIT_HELP}`;

/** Runs vattribute. */
export async function vattributeMain(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    xid: { type: "string" }, set: { type: "boolean" }, get: { type: "boolean" },
    bcap: { type: "string", multiple: true }, flag: { type: "string", multiple: true },
    userns: { type: "string" },
  });
  const name = target(positionals, values.xid);
  if (values.userns !== undefined && values.userns !== "on" && values.userns !== "off") throw new UsageError('--userns takes "on" or "off"');
  const changing = (values.bcap?.length ?? 0) + (values.flag?.length ?? 0) > 0 || values.userns !== undefined;
  if (changing && !values.set) throw new UsageError("use --set to change attributes");
  if (values.bcap?.length || values.flag?.length) await setAttributes(cliPaths(), name, { bcaps: values.bcap, flags: values.flag });
  if (values.userns !== undefined) {
    await setUserNamespace(cliPaths(), name, values.userns === "on", { log: (l) => process.stderr.write(`${l}\n`) });
  }
  const now = readVserverConfig(cliPaths(), name);
  const m = now.uidmap;
  const userns = m ? `on (uids ${m.start}..${m.start + m.count - 1}${m.shifted ? ", root shifted on disk" : ""})` : "off (shared uids)";
  process.stdout.write(`bcapabilities: ${now.bcapabilities.join(" ") || "(default set)"}\nflags: ${now.flags.join(" ") || "(none)"}\nuserns: ${userns}\n`);
  return EXIT.OK;
}
