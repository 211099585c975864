/**
 * `vserver NAME VERB …`: util-vserver's main command. Every verb calls the same ops the
 * agent daemon uses, in this process: the CLI works with or without a daemon.
 */
import { parseCidr } from "../kernel/net";
import { checkVserverName } from "../config/vserver/names";
import { deleteVserver } from "../ops/manage/delete-vserver";
import { addVserverAddress, removeVserverAddress } from "../ops/manage/addresses";
import { execPassthrough } from "../ops/exec/exec-passthrough";
import { handleInitExit } from "../ops/lifecycle/init-exit-hook";
import { restartVserver } from "../ops/lifecycle/restart-vserver";
import { runVserver } from "../ops/lifecycle/run-vserver";
import { condrestartVserver } from "../ops/lifecycle/condrestart-vserver";
import { guestUser } from "../ops/exec/guest-user";
import { AgentFailure } from "../errors";
import { agentVersion } from "../version";
import { restartPolicy } from "@/lib/protocol/vservers";
import { setRestartPolicy } from "../ops/lifecycle/set-restart-policy";
import { startVserver } from "../ops/lifecycle/start-vserver";
import { stopVserver } from "../ops/lifecycle/stop-vserver";
import { Timings } from "../ops/runtime/timings";
import { BUILD_HELP, buildCommand } from "./vserver-build";
import { exportCommand, PROVISIONING_HELP, reinstallCommand } from "./vserver-provisioning";
import { BACKUP_HELP, backupCommand, backupsCommand, restoreCommand } from "./vserver-backup";
import { hostInfoCommand } from "./host-info-command";
import { RESCUE_HELP, rescueCommand } from "./vserver-rescue";
import { cliPaths, intOption, parseOptions, UsageError } from "./cli-support";
import { EXIT, EXIT_HELP } from "./exit-codes";
import { detail, leadingOptions, note, say, setVerbosity } from "./cli-output";
import { runningCommand, statusCommand } from "./vserver-habits";
import { isatty } from "node:tty";

/** Help of `vserver`. */
export const VSERVER_HELP = `Usage: vserver [-s|--silent] [-v|--verbose] NAME VERB [ARGS]
       vserver --host-info                 cgroup backend, disk-limit mode, network setup
       vserver --version
  -s, --silent                          no output but errors (util-vserver's)
  -v, --verbose                         step logs and timings on stderr
  build -m skeleton|busybox [options]   create the server (see below)
  start | stop [--timeout SEC] | restart [--timeout SEC]
                                        each records the decision (desired state): the
                                        host starts at boot only what was last started;
                                        a server the panel suspended refuses to start
  status                                exit 0 when running (context, number of
                                        processes, uptime), 3 when stopped; says what
                                        was last decided (running/stopped/suspended)
                                        and the last exit of its own (cause, time)
  running                               exit 0 when running, 1 when not; no output
  condrestart [--timeout SEC]           restart when running, nothing when stopped
  restart-policy never|on-failure       on-failure: restart after a crash, OOM kill or
                                        non-zero exit (back-off 1 s doubling to 5 min)
  exec CMD [ARG...]                     run a command; stdin/stdout/stderr pass through
  suexec USER CMD [ARG...]              exec as USER of the guest's /etc/passwd (or a uid)
  enter                                 a login shell on a pty from the guest
  run CMD [ARG...]                      start the stopped server with CMD as its init,
                                        wait for it to exit and clean up
  ip add|del IP/PREFIX                  add or remove an address (live when running)
  delete                                remove a stopped server (config and root)
  export FILE | --template T            a stopped server's root as a template (below)
  reinstall -m METHOD [-- OPTIONS]      a fresh root, keeping the configuration (below)
  backup | backups | restore SNAPSHOT   backups with restic (below)
  rescue start|stop|status              rescue mode: the rescue system, root at /mnt (below)
Environment: VSERVER_CONFDIR (/etc/vservers), VSERVER_ROOTDIR (/vservers),
VSERVER_RUNDIR (/run/vservers), VSERVER_CGROUP_PARENT (vservers), VSERVER_TIMINGS=1.

${BUILD_HELP}

${PROVISIONING_HELP}

${BACKUP_HELP}

${RESCUE_HELP}

${EXIT_HELP}`;

function noArgs(verb: string, args: string[]): void {
  if (args.length) throw new UsageError(`${verb} takes no arguments`);
}

function timeoutOf(verb: string, args: string[]): number {
  const { values, positionals } = parseOptions(args, { timeout: { type: "string" } });
  if (positionals.length) throw new UsageError(`${verb}: unexpected argument "${positionals[0]}"`);
  return intOption(values.timeout, "timeout") ?? 30;
}

function report(t: Timings): void {
  if (process.env.VSERVER_TIMINGS === "1") process.stderr.write(`timings: ${t}\n`);
  else detail(`timings: ${t}`);
}

/** A command the guest could not run exits 125 (docs/cli.md), not 2. */
async function guestCommand(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof AgentFailure) || e.field !== "command") throw e;
    process.stderr.write(`vserver: ${e.message}\n`);
    return EXIT.CANNOT_RUN;
  }
}

/** The verbs handled wholly by a module of their own (options, help and all). */
const verbModules: Record<string, (name: string, args: string[]) => Promise<number>> = {
  build: buildCommand,
  export: exportCommand,
  reinstall: reinstallCommand,
  backup: backupCommand,
  backups: backupsCommand,
  restore: restoreCommand,
  rescue: rescueCommand,
};

/** Runs `vserver ARGS`. */
export async function vserverMain(all: string[]): Promise<number> {
  const { verbosity, rest: argv } = leadingOptions(all);
  setVerbosity(verbosity);
  if (argv[0] === "--version") {
    if (argv.length > 1) throw new UsageError("--version takes no arguments");
    process.stdout.write(`vserver (VServer Panel) ${agentVersion}\n`);
    return EXIT.OK;
  }
  if (argv[0] === "--host-info") {
    if (argv.length > 1) throw new UsageError("--host-info takes no arguments");
    return hostInfoCommand();
  }
  const [name, verb, ...args] = argv;
  if (!name || !verb) throw new UsageError("expected NAME and VERB");
  checkVserverName(name);
  const paths = cliPaths();
  const ownModule = Object.hasOwn(verbModules, verb) ? verbModules[verb] : undefined;
  if (ownModule) return ownModule(name, args);
  switch (verb) {
    case "start": {
      noArgs(verb, args);
      const t = new Timings();
      await startVserver(paths, name, { timings: t, by: "cli" });
      report(t);
      return EXIT.OK;
    }
    case "stop":
      await stopVserver(paths, name, timeoutOf(verb, args), "cli");
      return EXIT.OK;
    case "restart":
      await restartVserver(paths, name, timeoutOf(verb, args), "cli");
      return EXIT.OK;
    case "status":
      noArgs(verb, args);
      return statusCommand(paths, name);
    case "running":
      noArgs(verb, args);
      return runningCommand(paths, name);
    case "condrestart": {
      const restarted = await condrestartVserver(paths, name, timeoutOf(verb, args), "cli");
      detail(restarted ? `vserver: ${name} restarted` : `vserver: ${name} is not running; nothing to do`);
      return EXIT.OK;
    }
    case "exec":
      if (!args.length) throw new UsageError("exec needs a command");
      return guestCommand(() => execPassthrough(paths, name, "exec", args));
    case "suexec": {
      const [user, ...cmd] = args;
      if (!user || !cmd.length) throw new UsageError("usage: vserver NAME suexec USER CMD [ARG...]");
      return guestCommand(() =>
        execPassthrough(paths, name, "exec", cmd, (root) => {
          const u = guestUser(root, user);
          const env = ["PATH=/usr/local/bin:/usr/bin:/bin", `HOME=${u.home}`, `USER=${u.name}`, `LOGNAME=${u.name}`, "TERM=xterm"];
          return { uid: u.uid, gid: u.gid, groups: u.groups, env, cwd: u.home };
        }),
      );
    }
    case "enter":
      noArgs(verb, args);
      return execPassthrough(paths, name, "pty");
    case "run": {
      if (!args.length) throw new UsageError("run needs a command");
      const t = new Timings();
      // A guest never gets a host terminal: with a tty on 0-2 the command's stdio is /dev/null.
      const inheritStdio = ![0, 1, 2].some((fd) => isatty(fd));
      return guestCommand(async () => {
        const r = await runVserver(paths, name, args, { inheritStdio, timings: t });
        report(t);
        return r.exitCode;
      });
    }
    case "ip": {
      const [op, cidr, ...more] = args;
      if ((op !== "add" && op !== "del") || !cidr || more.length) throw new UsageError("usage: vserver NAME ip add|del IP/PREFIX");
      const parsed = parseCidr(cidr, "address");
      const a = { address: parsed.address, prefix: parsed.prefix };
      const r = op === "add" ? await addVserverAddress(paths, name, a) : await removeVserverAddress(paths, name, a);
      if (r.interfaces.length) say(r.interfaces.map((i) => `${i.address}/${i.prefix}`).join("\n"));
      if (!r.live) note(`vserver: ${name} is not running with a network; the change applies at the next start`);
      return EXIT.OK;
    }
    case "delete":
      noArgs(verb, args);
      await deleteVserver(paths, name);
      return EXIT.OK;
    case "restart-policy": {
      const [policy, ...more] = args;
      const parsed = restartPolicy.safeParse(policy);
      if (!parsed.success || more.length) throw new UsageError("usage: vserver NAME restart-policy never|on-failure");
      await setRestartPolicy(paths, name, parsed.data);
      return EXIT.OK;
    }
    case "exit-hook":
      // Run by the monitor when the init ended (not for people; see ops/lifecycle/init-exit-hook.ts).
      await handleInitExit(paths, name);
      return EXIT.OK;
    default:
      throw new UsageError(`unknown verb "${verb}"`);
  }
}
