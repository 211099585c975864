/**
 * Tests of holes this suite found in code outside its reach (the launch layer and the
 * native helpers, being changed in another worktree): they stay in the suite, skipped
 * with the reason and where the fix belongs (README.md "Holes found, not fixed"), and
 * run for real with VST_SECURITY_KNOWN_HOLES=1, which is how the fix is checked.
 */

/** false when known holes are to be run, else the skip reason naming `where`. */
export function knownHole(where: string): string | false {
  if (process.env.VST_SECURITY_KNOWN_HOLES === "1") return false;
  return `KNOWN HOLE, not fixed here: ${where}; see agent/src/security/README.md (run with VST_SECURITY_KNOWN_HOLES=1 to see it fail)`;
}
