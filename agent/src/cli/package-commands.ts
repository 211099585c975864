/**
 * `vapt-get NAME -- ARGS…` and `vrpm NAME -- ARGS…` (util-vserver's names): the
 * server's OWN apt-get / rpm run inside it through the exec path, the caller's stdio
 * relayed; the exit status is the tool's. The server must be running.
 */
import { checkVserverName } from "../config/vserver/names";
import type { PackageTool } from "../ops/packages/guest-package-manager";
import { runPackageToolPassthrough } from "../ops/packages/run-package-tool";
import { cliPaths, UsageError } from "./cli-support";
import { EXIT_HELP } from "./exit-codes";

/** Help of vapt-get. */
export const VAPT_GET_HELP = `Usage: vapt-get NAME [--] APT-GET-ARGS...
Runs the server's own apt-get inside the running server NAME (DEBIAN_FRONTEND=
noninteractive), e.g. vapt-get web -- update; vapt-get web -- install -y nginx.
The exit status is apt-get's.
${EXIT_HELP}`;

/** Help of vrpm. */
export const VRPM_HELP = `Usage: vrpm NAME [--] RPM-ARGS...
Runs the server's own rpm inside the running server NAME, e.g. vrpm web -- -qa.
The exit status is rpm's.
${EXIT_HELP}`;

function split(tool: string, argv: string[]): { name: string; args: string[] } {
  const [name, ...rest] = argv;
  if (!name || name.startsWith("-")) throw new UsageError(`expected NAME, then the ${tool} arguments`);
  checkVserverName(name);
  const args = rest[0] === "--" ? rest.slice(1) : rest;
  if (args.length === 0) throw new UsageError(`no ${tool} arguments given`);
  return { name, args };
}

function main(tool: PackageTool) {
  return async (argv: string[]): Promise<number> => {
    const { name, args } = split(tool, argv);
    return runPackageToolPassthrough(cliPaths(), name, tool, args);
  };
}

/** vapt-get's main. */
export const vaptGetMain = main("apt-get");

/** vrpm's main. */
export const vrpmMain = main("rpm");

/** Whether the arguments ask for our help (not apt-get's: only before NAME). */
export const packageToolWantsHelp = (a: string[]) => a.length === 1 && (a[0] === "--help" || a[0] === "-h");
