/** Per-vserver cgroups on v1 and v2 behind one interface; see README.md. */
export type { Cgroups, CgroupLimits, CgroupLimitsPatch, CgroupUsage, IoLimit, CreateOptions, RemoveOptions } from "./types";
export { openCgroups, type OpenCgroupsOptions } from "./open-cgroups";
export { CgroupV1, type CgroupV1Options } from "./v1/backend";
export { CgroupV2, type CgroupV2Options } from "./v2/backend";
export { defaultDeviceRules, formatDeviceRule, checkDeviceRules, type DeviceRule } from "./device-policy";
export {
  V1DeviceFilter,
  V2DeviceFilter,
  toNativeRule,
  type DeviceFilter,
  type DeviceFilterNative,
  type NativeDeviceRule,
} from "./device-filter";
export { loadDeviceFilterNative } from "./load-device-native";
export { blockDeviceOf, checkBlockDevice, type BlockDeviceKind } from "./block-device";
export {
  readCgroupHostFacts,
  readCgroupMounts,
  readHostResources,
  parseCgroupMounts,
  cgroupLayout,
  pickBackend,
  type CgroupHostFacts,
  type CgroupLayout,
  type CgroupMounts,
  type HostResources,
  type V1Hierarchy,
} from "./host-facts";
export { validateLimits, minimumMemory, minimumCpuQuota, type LimitContext } from "./validate-limits";
export { checkGroupName, resolveParent, defaultParent } from "./group-name";
