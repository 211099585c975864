/**
 * The host prefixes live in agent/src/host-paths.ts, beside errors.ts, so that kernel/
 * can use them without importing config/ (config/ may import kernel/, not the reverse:
 * docs/CONVENTIONS.md). This name stays for the layers above, which may import either.
 */
export { agentStateDir, defaultSocketPath, hostPaths, type HostPaths } from "../host-paths";
