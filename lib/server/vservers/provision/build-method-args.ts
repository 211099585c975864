/**
 * What the panel offers as build methods and how each becomes the agent's METHOD-OPTIONS
 * (`vserver NAME build -m METHOD -- OPTIONS`): always argv words, never a shell string.
 */
import { AppError } from "@/lib/errors";

/** Debian releases offered with debootstrap (the host's mirror must carry them). */
export const debianReleases = ["bookworm", "trixie"] as const;

/** The agent method and options for the wizard's choice. `distribution` is a release or a template name. */
export function methodArgsFor(method: string, distribution: string): string[] {
  switch (method) {
    case "busybox":
    case "skeleton":
      return [];
    case "debootstrap":
      if (!(debianReleases as readonly string[]).includes(distribution)) throw new AppError("BAD_REQUEST", `choose one of ${debianReleases.join(", ")}`, "distribution");
      return ["-d", distribution, "--variant", "minbase"];
    case "template":
      if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(distribution)) throw new AppError("BAD_REQUEST", "choose a template", "distribution");
      return ["--source", distribution];
    default:
      throw new AppError("BAD_REQUEST", `the panel does not offer ${method} builds`, "method");
  }
}
