/** The typed failure of a helper (vs-start / vs-enter) before it ran guest code. */
import { constants } from "node:os";

const ERRNO_NAMES = new Map(Object.entries(constants.errno).map(([k, v]) => [v, k]));

/**
 * Thrown when a helper reports `error <step> <errno> <path>`: `step` names the stage
 * (e.g. "open-target", "pivot_root", "cgroup", "exec"), `code`/`errno` the kernel's
 * answer (errno negative, like Node), `path` the guest or host path involved.
 */
export class HelperError extends Error {
  /** Stage of the start/enter sequence that failed. */
  readonly step: string;
  /** Errno name, e.g. "ELOOP". */
  readonly code: string;
  /** Negative errno, as Node's fs errors carry it. */
  readonly errno: number;
  /** The path involved, when there is one. */
  readonly path?: string;

  constructor(helper: string, step: string, errnoPositive: number, path?: string) {
    const code = ERRNO_NAMES.get(errnoPositive) ?? `E${errnoPositive}`;
    super(`${helper}: ${step} failed: ${code}${path ? ` '${path}'` : ""}`);
    this.name = "HelperError";
    this.step = step;
    this.code = code;
    this.errno = -errnoPositive;
    this.path = path || undefined;
  }

  /** From the fields of an `error` record. */
  static fromRecord(helper: string, fields: string[]): HelperError {
    const [step = "unknown", errno = "0", path = ""] = fields;
    return new HelperError(helper, step, Number(errno), path);
  }
}
