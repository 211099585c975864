/** Fills in the host defaults of {@link DiskEnv}: the environment's prefixes, the real kernel. */
import { hostPaths } from "../../host-paths";
import { nativeQuotaLayer } from "./project/quota-layer";
import type { DiskEnv, DiskEnvOptions } from "./types";

/** The environment a disk function works in. */
export function diskEnv(options: DiskEnvOptions = {}): DiskEnv {
  return { paths: options.env?.paths ?? hostPaths(), quota: options.env?.quota ?? nativeQuotaLayer };
}
