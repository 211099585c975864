/**
 * What every CLI tool shares: argument parsing (node:util parseArgs, strict: an unknown
 * option is a usage error), the host paths, and error reporting with the documented
 * exit codes. A tool killed half-way through a build leaves `.build-incomplete`, which
 * `delete` and the next agent start clean up.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { AgentFailure } from "../errors";
import { hostPaths, type HostPaths } from "../config/paths";
import { EXIT, exitCodeOf } from "./exit-codes";

/** A usage error (exit 2) with the tool's name. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** parseArgs with positionals allowed; unknown options become a UsageError. */
export function parseOptions<T extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The host paths from the environment (VSERVER_CONFDIR, …). */
export function cliPaths(): HostPaths {
  return hostPaths();
}

/** Runs a tool's main and exits with its status (or the error's documented code). */
export function runTool(
  tool: string,
  help: string,
  main: (args: string[]) => Promise<number>,
  args: string[],
  wantsHelp: (args: string[]) => boolean = (a) => a.includes("--help") || a.includes("-h"),
): void {
  if (wantsHelp(args)) {
    process.stdout.write(help.endsWith("\n") ? help : `${help}\n`);
    process.exit(EXIT.OK);
  }
  main(args).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof UsageError) {
        process.stderr.write(`${tool}: ${e.message}\nTry '${tool} --help'.\n`);
        process.exit(EXIT.USAGE);
      }
      if (e instanceof AgentFailure) {
        process.stderr.write(`${tool}: ${e.message}\n`);
        process.exit(exitCodeOf(e.code));
      }
      process.stderr.write(`${tool}: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exit(EXIT.FAILED);
    },
  );
}

/** Parses a decimal integer option, or throws a UsageError naming it. */
export function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name}: "${value}" is not a number`);
  return Number(value);
}
