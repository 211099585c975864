/**
 * The one entry point of every CLI tool (bundled into agent/dist/cli.mjs): the first
 * argument names the tool (the agent/bin/* wrappers pass it), the rest are its arguments.
 */
import { runTool } from "./cli-support";
import { VATTRIBUTE_HELP, VKILL_HELP, VUNAME_HELP, vattributeMain, vkillMain, vunameMain } from "./small-commands";
import { VLIMIT_HELP, vlimitMain } from "./vlimit-command";
import { VPS_HELP, vpsMain } from "./vps-command";
import { VSERVER_HELP, vserverMain } from "./vserver-command";
import { VSERVER_STAT_HELP, vserverStatMain } from "./vserver-stat-command";
import { packageToolWantsHelp, VAPT_GET_HELP, vaptGetMain, VRPM_HELP, vrpmMain } from "./package-commands";
import { VUNIFY_HELP, vunifyMain } from "./vunify-command";

const isHelp = (a: string | undefined) => a === "--help" || a === "-h";

interface Tool {
  help: string;
  main: (args: string[]) => Promise<number>;
  /** Whether the arguments ask for our help (not a command's, for exec/run/vps). */
  wantsHelp?: (args: string[]) => boolean;
}

const tools: Record<string, Tool> = {
  vserver: {
    help: VSERVER_HELP,
    main: vserverMain,
    wantsHelp: (a) => isHelp(a[0]) || isHelp(a[1]) || (!["exec", "run"].includes(a[1] ?? "") && a.some(isHelp)),
  },
  vps: { help: VPS_HELP, main: vpsMain, wantsHelp: (a) => a.length === 1 && isHelp(a[0]) },
  "vserver-stat": { help: VSERVER_STAT_HELP, main: vserverStatMain },
  vkill: { help: VKILL_HELP, main: vkillMain },
  vuname: { help: VUNAME_HELP, main: vunameMain },
  vattribute: { help: VATTRIBUTE_HELP, main: vattributeMain },
  vlimit: { help: VLIMIT_HELP, main: vlimitMain },
  vunify: { help: VUNIFY_HELP, main: vunifyMain },
  "vapt-get": { help: VAPT_GET_HELP, main: vaptGetMain, wantsHelp: packageToolWantsHelp },
  vrpm: { help: VRPM_HELP, main: vrpmMain, wantsHelp: packageToolWantsHelp },
};

const [toolName = "", ...args] = process.argv.slice(2);
const tool = tools[toolName];
if (!tool) {
  process.stderr.write(`unknown tool "${toolName}" (known: ${Object.keys(tools).join(", ")})\n`);
  process.exit(2);
}
runTool(toolName, tool.help, tool.main, args, tool.wantsHelp);
