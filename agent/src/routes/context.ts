/** What every operation handler receives besides its input. */
import type { HostPaths } from "../config/paths";

/** Per-request context. */
export interface RequestContext {
  requestId: string;
  paths: HostPaths;
}
