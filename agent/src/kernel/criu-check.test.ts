/**
 * The reason the panel shows when `criu check` fails: criu's own first Error line without
 * its source position (the "exited, status=1" lines of its helpers are not the reason);
 * the verdict of a host without criu says to install it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { criuFailureLine } from "./criu-check";

test("the reason is criu's own error line, not its helpers' exit lines", () => {
  // What Debian 12's criu 3.17.1 prints on kernel 6.18.
  const out = [
    "Error (criu/util.c:642): exited, status=1",
    "Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds",
    "Error (criu/vdso.c:613): vdso: Failed to fill self vdso symtable",
    "Error (criu/kerndat.c:1615): kerndat_vdso_fill_symtable failed when initializing kerndat.",
    "Error (criu/crtools.c:260): Could not initialize kernel features detection.",
  ].join("\n");
  assert.equal(criuFailureLine(out), "vdso: Unexpected rt vDSO area bounds");
  assert.equal(criuFailureLine("Error (criu/util.c:642): exited, status=1\n"), "exited, status=1");
  assert.equal(criuFailureLine("Looks bad: something\n"), "Looks bad: something");
  assert.equal(criuFailureLine(""), "no reason given");
});
