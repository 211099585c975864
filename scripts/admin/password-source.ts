/**
 * Where `npm run admin` takes a new password from. Never the command line: every user
 * of the machine reads it in the process list (/proc/PID/cmdline) and it stays in the
 * shell's history. Instead: a prompt on the terminal (not shown, asked twice), the
 * first line of standard input (`--password-stdin`), or an environment variable named
 * by `--password-env NAME`; without any, a password is generated and printed once.
 */

/** The options that choose the source (from parseArgs). */
export interface PasswordOptions {
  password?: string;
  "password-stdin"?: boolean;
  "password-env"?: string;
  "generate-password"?: boolean;
}

/** How a password was chosen: given (a string) or to be generated. */
export type PasswordChoice = { kind: "given"; password: string } | { kind: "generate" };

/** What the operator is told when a password is on the command line. */
export const argvPasswordRefusal =
  "--password on the command line is refused: any user of this machine can read it in the process list, and it stays in your shell history. " +
  "Run the command on a terminal to be asked for it, or give it on standard input (--password-stdin) or in an environment variable (--password-env NAME).";

/** An operator mistake: said as it is, exit status 2, nothing changed. */
export class PasswordSourceError extends Error {}

/** Reads standard input to its end and returns its first line (without the line break). */
async function firstLineOfStdin(stdin: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
}

/** Asks on the terminal without echo (raw mode: characters are read one by one and never written back). */
export function askHidden(question: string, stdin: NodeJS.ReadStream = process.stdin, out: NodeJS.WriteStream = process.stderr): Promise<string> {
  return new Promise((resolve, reject) => {
    // Echo goes off before the question shows, so nothing typed after it is ever shown.
    stdin.setRawMode(true);
    stdin.setEncoding("utf8");
    stdin.resume();
    out.write(question);
    let typed = "";
    const finish = (fn: () => void) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      out.write("\n");
      fn();
    };
    const onData = (data: string) => {
      for (const ch of data) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return finish(() => resolve(typed));
        if (ch === "\u0003") return finish(() => reject(new PasswordSourceError("cancelled")));
        if (ch === "\u007f" || ch === "\b") typed = typed.slice(0, -1);
        else if (ch >= " ") typed += ch;
      }
    };
    stdin.on("data", onData);
  });
}

/** Decides the password source and reads the password; throws PasswordSourceError on a mistake. */
export async function choosePassword(options: PasswordOptions, env: NodeJS.ProcessEnv = process.env, stdin: NodeJS.ReadStream = process.stdin): Promise<PasswordChoice> {
  if (options.password !== undefined) throw new PasswordSourceError(argvPasswordRefusal);
  const sources = [options["password-stdin"], options["password-env"] !== undefined, options["generate-password"]].filter(Boolean).length;
  if (sources > 1) throw new PasswordSourceError("give one of --password-stdin, --password-env NAME and --generate-password");
  if (options["generate-password"]) return { kind: "generate" };
  if (options["password-stdin"]) {
    const password = await firstLineOfStdin(stdin);
    if (!password) throw new PasswordSourceError("--password-stdin: standard input had no password on its first line");
    return { kind: "given", password };
  }
  const envName = options["password-env"];
  if (envName !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(envName)) throw new PasswordSourceError(`--password-env: "${envName}" is not an environment variable name`);
    const password = env[envName];
    if (!password) throw new PasswordSourceError(`--password-env: the environment variable ${envName} is not set or empty`);
    return { kind: "given", password };
  }
  if (!stdin.isTTY) return { kind: "generate" };
  const first = await askHidden("New password (not shown; empty to generate one): ", stdin);
  if (!first) return { kind: "generate" };
  const again = await askHidden("The same password again: ", stdin);
  if (again !== first) throw new PasswordSourceError("the two passwords differ; nothing was changed");
  return { kind: "given", password: first };
}
