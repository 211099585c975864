/**
 * What `npm test` was asked to run: `--only unit,db` picks phases, other words are
 * patterns that pick test files by path. A phase name that does not exist or an option
 * the runner does not know ends the run at once: a typo must not turn into a green run
 * of nothing.
 */

import type { TestKind } from "./discover";

/** The phases in the order they run. */
export const allPhases = ["lint", "typecheck", "unit", "db", "root", "e2e"] as const;

/** One phase. */
export type Phase = (typeof allPhases)[number];

/** The parsed command line. */
export interface Selection {
  /** The phases to run (all when --only is not given). */
  phases: Set<Phase>;
  /** Path fragments; a file runs when its path contains one. Empty: every file. */
  patterns: string[];
}

/** Parses the runner's arguments; throws an Error whose message says what is wrong. */
export function selectPhases(args: string[]): Selection {
  let only: string[] | null = null;
  const patterns: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--only" || a.startsWith("--only=")) {
      const value = a === "--only" ? args[++i] : a.slice("--only=".length);
      if (!value) throw new Error("--only needs a list of phases, e.g. --only unit,db");
      only = [...(only ?? []), ...value.split(",").filter(Boolean)];
    } else if (a.startsWith("--")) {
      throw new Error(`unknown option ${a} (the runner takes --only PHASES and file patterns)`);
    } else {
      patterns.push(a);
    }
  }
  const unknown = (only ?? []).filter((p) => !(allPhases as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`unknown phase ${unknown.join(", ")} in --only (phases: ${allPhases.join(", ")})`);
  if (only && only.length === 0) throw new Error("--only needs at least one phase");
  return { phases: new Set((only ?? allPhases) as Phase[]), patterns };
}

/**
 * The test files each selected phase runs: every file of its kind, or those whose path
 * contains a pattern. Throws when patterns were given and no file of any selected phase
 * matches them (`npm test -- nosuchfile` must not pass by running nothing).
 */
export function selectFiles(discover: (kind: TestKind) => string[], selection: Selection): Record<TestKind, string[]> {
  const { phases, patterns } = selection;
  const files: Record<TestKind, string[]> = { unit: [], db: [], root: [], e2e: [] };
  for (const kind of Object.keys(files) as TestKind[]) {
    if (phases.has(kind)) files[kind] = discover(kind).filter((f) => patterns.length === 0 || patterns.some((p) => f.includes(p)));
  }
  if (patterns.length > 0 && Object.values(files).every((f) => f.length === 0)) {
    throw new Error(`no test file of the phases ${[...phases].join(", ")} matches ${patterns.map((p) => `"${p}"`).join(", ")}`);
  }
  return files;
}
