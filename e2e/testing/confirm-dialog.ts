/**
 * The panel's confirm dialog (components/ui/confirm-dialog.tsx) from a test: waits for
 * it, checks it names the consequence, types the server's name when it asks for one,
 * and confirms. Returns the consequence text so a test can assert on it.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";

/** Confirms the open dialog; `typed` is entered when the dialog wants a name typed. */
export async function confirmInDialog(page: Page, typed?: string): Promise<string> {
  const dialog = page.getByTestId("confirm-dialog");
  await dialog.waitFor();
  const consequence = await dialog.getByTestId("confirm-consequence").innerText();
  assert.ok(consequence.trim().length > 10, "the dialog names the consequence");
  const input = dialog.getByTestId("confirm-typed");
  if (typed !== undefined) {
    assert.equal(await dialog.getByTestId("confirm-yes").isDisabled(), true, "the confirm button waits for the name");
    await input.fill(typed);
  } else {
    assert.equal(await input.count(), 0, "this dialog asks for no name");
  }
  await dialog.getByTestId("confirm-yes").click();
  await dialog.waitFor({ state: "detached" });
  return consequence;
}
