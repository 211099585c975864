/**
 * Reads the failed tests out of a TAP report of Node's test runner, with the head of
 * each error and where it was thrown. The summary repeats them at the end of `npm test`
 * because CI keeps only the tail of a long log: without this a red run names the tests
 * but not why they failed.
 */

/** One failed test of a TAP report. */
export interface TapFailure {
  /** The test's name (for a nested test, its suite's names before it, joined by " › "). */
  name: string;
  /** The first lines of the error, trimmed. */
  error: string[];
  /** The test's location or the first stack frame outside node's internals. */
  where: string;
}

const MAX_ERROR_LINES = 6;

/** The YAML block's value of `key` (a quoted scalar or a `|-` block), as lines. */
function yamlValue(block: string[], key: string): string[] {
  const at = block.findIndex((l) => l.trimStart().startsWith(`${key}:`));
  if (at < 0) return [];
  const line = block[at]!;
  const indent = line.length - line.trimStart().length;
  const rest = line.trimStart().slice(key.length + 1).trim();
  if (rest !== "|-" && rest !== "|") return [rest.replace(/^'(.*)'$/, "$1").replace(/''/g, "'")];
  const out: string[] = [];
  for (const l of block.slice(at + 1)) {
    if (l.trim() !== "" && l.length - l.trimStart().length <= indent) break;
    out.push(l.slice(indent + 2));
  }
  return out;
}

/** One test result line of a TAP report, with its suites' names and the YAML block under it. */
export interface TapResultLine {
  ok: boolean;
  /** The test's name (for a nested test, its suite's names before it, joined by " › "). */
  name: string;
  /** What follows `#` on the line (`SKIP reason`, `TODO`), or "". */
  directive: string;
  block: string[];
}

/** Every `ok`/`not ok` line of a TAP report, at every depth, in order. */
export function tapResultLines(tap: string): TapResultLine[] {
  const lines = tap.split("\n");
  const out: TapResultLine[] = [];
  const suites: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const subtest = /^(\s*)# Subtest: (.*)$/.exec(lines[i]!);
    if (subtest) {
      suites[subtest[1]!.length / 4] = subtest[2]!;
      suites.length = subtest[1]!.length / 4 + 1;
      continue;
    }
    const result = /^(\s*)(not ok|ok) \d+ - (.*?)(?: # (.*))?$/.exec(lines[i]!);
    if (!result) continue;
    const depth = result[1]!.length / 4;
    const block: string[] = [];
    if (lines[i + 1]?.trim() === "---") {
      for (let j = i + 2; j < lines.length && lines[j]!.trim() !== "..."; j++) block.push(lines[j]!);
    }
    out.push({ ok: result[2] === "ok", name: [...suites.slice(0, depth), result[3]!].join(" › "), directive: result[4] ?? "", block });
  }
  return out;
}

/** Failed leaf tests of a TAP report (suites that failed only because a test in them did are left out). */
export function tapFailures(tap: string): TapFailure[] {
  const failures: TapFailure[] = [];
  for (const r of tapResultLines(tap)) {
    if (r.ok || yamlValue(r.block, "failureType")[0] === "subtestsFailed") continue;
    const error = yamlValue(r.block, "error").map((l) => l.trimEnd()).filter((l) => l.trim() !== "");
    const frame = yamlValue(r.block, "stack").find((l) => !l.includes("node:") && !l.includes("node_modules"));
    failures.push({
      name: r.name,
      error: error.length > MAX_ERROR_LINES ? [...error.slice(0, MAX_ERROR_LINES), "…"] : error,
      where: (frame ?? yamlValue(r.block, "location")[0] ?? "").trim(),
    });
  }
  return failures;
}
