/**
 * The skipped tests of a TAP report, with their reasons, and the runner's rule for
 * which reasons a run may accept: only a limit of the machine that no install can lift
 * (a kernel feature, a capability the sandbox withholds, the host's filesystem or
 * cgroup layout). Such a test says so by starting its reason with "machine limit: "
 * (`{ skip: ok ? false : "machine limit: this kernel lacks QFMT_V2" }`); any other skip — a missing package, a missing tool — is a
 * hole in the bootstrap and counts as a failure, so no test goes quietly unrun on a
 * clean machine.
 */
import { tapResultLines } from "./tap-failures";

/** One skipped test (or suite) and why. */
export interface TapSkip {
  name: string;
  reason: string;
  /** The reason names a machine limit. */
  accepted: boolean;
}

const PREFIX = "machine limit: ";

/** Skipped tests and suites of a TAP report (a skipped suite is one entry, not one per test). */
export function tapSkips(tap: string): TapSkip[] {
  return tapResultLines(tap)
    .filter((r) => r.ok && /^SKIP\b/i.test(r.directive))
    .map((r) => {
      const reason = r.directive.replace(/^SKIP\s*/i, "").trim();
      return { name: r.name, reason, accepted: reason.startsWith(PREFIX) };
    });
}
