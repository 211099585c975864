/**
 * `vserver NAME export FILE` and `vserver NAME reinstall -m METHOD … -- METHOD-OPTIONS`
 * (verbs of `vserver`; see vserver-command.ts). SIGINT/SIGTERM during a reinstall undo
 * it: the old root stays (or comes back) and the server runs as before.
 */
import { reinstallVserver } from "../ops/reinstall/reinstall-vserver";
import { exportVserver } from "../ops/templates/export-vserver";
import { cliPaths, intOption, parseOptions, UsageError } from "./cli-support";
import { EXIT } from "./exit-codes";
import { note, say } from "./cli-output";
import path from "node:path";

/** Help of export and reinstall. */
export const PROVISIONING_HELP = `vserver NAME export FILE.tar.zst|FILE.tar.gz|FILE.tar [--replace]
vserver NAME export --template TEMPLATE [--description TEXT] [--replace]
                       a stopped server's root as a template: into FILE, or into
                       VSERVER_ROOTDIR/.templates/TEMPLATE.tar.zst (+ .json metadata);
                       walked by fds, symlinks/FIFOs/devices archived as such
vserver NAME reinstall -m METHOD [--no-start] [--timeout SEC] [-- METHOD-OPTIONS]
                       a fresh root by METHOD (as for build); name, context, addresses,
                       limits and disk area stay; root's password and SSH keys are carried
                       over; the old root is kept until the new one has started and is
                       restored if anything fails (--no-start: replaced without a start)`;

function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const interrupt = () => abort.abort();
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  return work(abort.signal).finally(() => {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
  });
}

const logLine = note;

/** Runs `vserver NAME export …`. */
export async function exportCommand(name: string, args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    template: { type: "string" },
    description: { type: "string" },
    replace: { type: "boolean" },
  });
  if (positionals.length > 1) throw new UsageError(`export: unexpected argument "${positionals[1]}"`);
  const file = positionals[0];
  if ((file === undefined) === (values.template === undefined)) throw new UsageError("export needs FILE or --template NAME (one of them)");
  const r = await exportVserver(cliPaths(), {
    name,
    file: file === undefined ? undefined : path.resolve(file),
    template: values.template,
    description: values.description,
    replace: values.replace,
    log: logLine,
  });
  say(`${r.file}: ${r.entries} entries, ${r.contentBytes} bytes of files, ${r.bytes} bytes compressed${r.skipped ? `, ${r.skipped} left out` : ""}`);
  return EXIT.OK;
}

/** Runs `vserver NAME reinstall …`. */
export async function reinstallCommand(name: string, args: string[]): Promise<number> {
  const dash = args.indexOf("--");
  const { values, positionals } = parseOptions(dash >= 0 ? args.slice(0, dash) : args, {
    method: { type: "string", short: "m" },
    "no-start": { type: "boolean" },
    timeout: { type: "string" },
  });
  if (positionals.length) throw new UsageError(`reinstall: unexpected argument "${positionals[0]}"`);
  if (!values.method) throw new UsageError("reinstall needs -m METHOD");
  const methodArgs = dash >= 0 ? args.slice(dash + 1) : [];
  const r = await withInterrupt((signal) =>
    reinstallVserver(cliPaths(), {
      name,
      method: values.method!,
      methodArgs: methodArgs.map((a, i) => (methodArgs[i - 1] === "--source" && a.includes("/") ? path.resolve(a) : a)),
      allowHostPaths: true,
      start: !values["no-start"],
      timeoutSec: intOption(values.timeout, "timeout"),
      log: logLine,
      signal,
    }),
  );
  say(`vserver ${name} reinstalled (${r.method}${r.distribution ? `, ${r.distribution}` : ""})${r.started ? " and running" : ""}`);
  return EXIT.OK;
}
