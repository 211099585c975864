/**
 * `vserver NAME rescue start|stop|status`: the admin's way into rescue mode (ops/rescue),
 * the same ops the panel's `startRescue`/`endRescue` run. The one-time root password is
 * made here and printed once on stdout; it is kept nowhere.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { MAX_RESCUE_MINUTES } from "@/lib/protocol/rescue";
import { endRescue } from "../ops/rescue/end-rescue";
import { rescueStatus, startRescue } from "../ops/rescue/start-rescue";
import { cliPaths, intOption, parseOptions, UsageError } from "./cli-support";
import { say } from "./cli-output";
import { EXIT } from "./exit-codes";

/** Help of the rescue verbs. */
export const RESCUE_HELP = `Rescue mode:
  rescue start [--minutes N] [--key FILE]...
                                        boot from the host's rescue system with the
                                        server's root at /mnt; prints a one-time root
                                        password; ends by itself after N minutes (60)
  rescue stop [--timeout SEC]           end it: the server boots from its own root
  rescue status                         until when it is in rescue; exit 3 when not`;

/** A one-time password of 4 groups of 5 unambiguous letters and digits. */
function oneTimePassword(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const chars = Array.from({ length: 20 }, () => alphabet[crypto.randomInt(alphabet.length)]!);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join("")).join("-");
}

/** Reads the public keys of the `--key` files (one key per non-empty line). */
function readKeys(files: string[]): string[] {
  return files.flatMap((f) =>
    fs
      .readFileSync(f, "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#")),
  );
}

/** Runs `vserver NAME rescue …`. */
export async function rescueCommand(name: string, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const paths = cliPaths();
  switch (sub) {
    case "start": {
      const { values, positionals } = parseOptions(rest, { minutes: { type: "string" }, key: { type: "string", multiple: true } });
      if (positionals.length) throw new UsageError(`rescue start: unexpected argument "${positionals[0]}"`);
      const minutes = intOption(values.minutes, "minutes") ?? 60;
      if (minutes < 1 || minutes > MAX_RESCUE_MINUTES) throw new UsageError(`--minutes: 1 to ${MAX_RESCUE_MINUTES}`);
      const password = oneTimePassword();
      await startRescue(paths, name, { rootPassword: password, sshKeys: readKeys(values.key ?? []), minutes, timeoutSec: 30 }, "cli");
      const r = rescueStatus(paths, name);
      process.stdout.write(`rescue root password: ${password}\n`);
      say(`vserver ${name} runs the rescue system until ${r?.until ?? "?"}; its root is at /mnt`);
      return EXIT.OK;
    }
    case "stop": {
      const { values, positionals } = parseOptions(rest, { timeout: { type: "string" } });
      if (positionals.length) throw new UsageError(`rescue stop: unexpected argument "${positionals[0]}"`);
      const ended = await endRescue(paths, name, intOption(values.timeout, "timeout") ?? 30);
      say(ended ? `vserver ${name} left rescue` : `vserver ${name} is not in rescue`);
      return EXIT.OK;
    }
    case "status": {
      if (rest.length) throw new UsageError("rescue status takes no arguments");
      const r = rescueStatus(paths, name);
      if (!r) {
        say(`vserver ${name} is not in rescue`);
        return EXIT.STOPPED;
      }
      say(`vserver ${name} is in rescue until ${r.until}${r.running ? "" : " (the rescue system is not running)"}`);
      return EXIT.OK;
    }
    default:
      throw new UsageError("usage: vserver NAME rescue start|stop|status");
  }
}
