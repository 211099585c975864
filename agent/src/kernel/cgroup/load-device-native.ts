/**
 * Finds `attachDeviceFilter` in the native module without making the agent depend on it
 * at import time: a v1 host, and every unit test, must work when native/ is not built.
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { DeviceFilterNative } from "./device-filter";

/** The native function, or why it cannot be had. */
export type DeviceNativeLookup =
  | { native: DeviceFilterNative; reason: null }
  | { native: null; reason: string };

const modulePath = fileURLToPath(
  new URL("../../../../native/build/Release/vsnative.node", import.meta.url),
);

/** Loads native/build/Release/vsnative.node and checks that it exports the function. */
export function loadDeviceFilterNative(file = modulePath): DeviceNativeLookup {
  let binding: unknown;
  try {
    binding = createRequire(import.meta.url)(file);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { native: null, reason: `cannot load ${file}: ${detail}` };
  }
  if (
    binding &&
    typeof binding === "object" &&
    "attachDeviceFilter" in binding &&
    typeof binding.attachDeviceFilter === "function"
  ) {
    const attach = binding.attachDeviceFilter as DeviceFilterNative["attachDeviceFilter"];
    return { native: { attachDeviceFilter: (fd, rules) => attach(fd, rules) }, reason: null };
  }
  return { native: null, reason: `${file} does not export attachDeviceFilter` };
}
