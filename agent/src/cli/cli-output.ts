/**
 * util-vserver's global `vserver` options `-s`/`--silent` and `-v`/`--verbose`: what a
 * command says on success goes through here, so one switch silences it (errors always
 * reach stderr) or adds step logs and timings.
 */

/** How talkative the tool is. */
export type Verbosity = "silent" | "normal" | "verbose";

let level: Verbosity = "normal";

/** Sets the level (from the leading options). */
export function setVerbosity(v: Verbosity): void {
  level = v;
}

/** The level now. */
export function verbosity(): Verbosity {
  return level;
}

/** A result line for stdout (dropped when silent). */
export function say(text: string): void {
  if (level !== "silent") process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** A progress note for stderr (dropped when silent). */
export function note(text: string): void {
  if (level !== "silent") process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** A detail for stderr shown only with --verbose. */
export function detail(text: string): void {
  if (level === "verbose") process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
}

/**
 * Splits util-vserver's leading global options off `vserver`'s arguments:
 * `vserver [-s|--silent] [-v|--verbose] NAME VERB …`. Stops at the first other word,
 * so a command's own `-v` (after VERB) is never taken.
 */
export function leadingOptions(argv: string[]): { verbosity: Verbosity; rest: string[] } {
  let v: Verbosity = "normal";
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-s" || a === "--silent") v = "silent";
    else if (a === "-v" || a === "--verbose") v = "verbose";
    else break;
  }
  return { verbosity: v, rest: argv.slice(i) };
}
