/** What every server action returns to its form: success with data, or an error naming the field. */

/** The result of a server action. */
export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | { ok: false; message: string; field?: string };

/** The state before the first submit. */
export const idle: ActionResult<never> | null = null;
