/** The agent's version (the package version). */
import pkg from "../../package.json" with { type: "json" };

/** Reported by `health` and `--version`. */
export const agentVersion: string = pkg.version;
