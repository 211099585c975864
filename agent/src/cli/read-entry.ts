/**
 * The entry of the read-only bundle (agent/dist/cli-read.cjs): `vps`, `vserver-stat`,
 * `vserver NAME status` and `vserver NAME running`, which only read /proc, cgroup files
 * and the configuration. It imports none of the build, start or network code, so Node
 * compiles a fraction of the full CLI; the agent/bin wrappers send exactly these forms
 * here and everything else to entry.ts's bundle.
 */
import { checkVserverName } from "../config/vserver/names";
import { cliPaths, runTool, UsageError } from "./cli-support";
import { VPS_HELP, vpsMain } from "./vps-command";
import { VSERVER_STAT_HELP, vserverStatMain } from "./vserver-stat-command";
import { runningCommand, statusCommand } from "./vserver-habits";

const READ_VSERVER_HELP = "Usage: vserver NAME status | vserver NAME running (vserver --help for all verbs)";

/** `vserver NAME status|running`, the two read-only verbs. */
async function readVserverMain(argv: string[]): Promise<number> {
  const [name, verb, ...rest] = argv;
  if (!name || (verb !== "status" && verb !== "running") || rest.length) throw new UsageError("the read-only entry takes NAME status|running");
  checkVserverName(name);
  return verb === "status" ? statusCommand(cliPaths(), name) : runningCommand(cliPaths(), name);
}

const [toolName = "", ...args] = process.argv.slice(2);
if (toolName === "vps") runTool("vps", VPS_HELP, vpsMain, args, (a) => a.length === 1 && (a[0] === "--help" || a[0] === "-h"));
else if (toolName === "vserver-stat") runTool("vserver-stat", VSERVER_STAT_HELP, vserverStatMain, args);
else if (toolName === "vserver") runTool("vserver", READ_VSERVER_HELP, readVserverMain, args, () => false);
else {
  process.stderr.write(`unknown read-only tool "${toolName}"\n`);
  process.exit(2);
}
