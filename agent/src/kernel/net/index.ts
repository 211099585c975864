/**
 * The network layer of the agent: veth pairs, addresses and routes, anti-spoofing with
 * nftables, bandwidth limits with HTB/IFB, counters, host preparation and reconciliation.
 * DESIGN.md beside this file explains the layout.
 */
export { attachVserverNetwork, type AttachedNetwork } from "./attach";
export { detachVserverNetwork } from "./detach";
export { addAddress, removeAddress } from "./live-addresses";
export { setVserverRate } from "./live-rate";
export { readVserverCounters, readDroppedCount, type TrafficCounters } from "./counters";
export {
  ensureHostNetwork,
  releaseHostNetwork,
  type HostNetworkOptions,
  type HostNetworkReport,
  type HostReleaseReport,
  type BridgeOptions,
} from "./host-network";
export { listNetworkResources, cleanOrphans, namespaceAlive, type CtxResources, type CleanOptions } from "./reconcile";
export {
  parseInterfaceAddress,
  parseInterfaceAddresses,
  parseCidr,
  parseIp,
  type InterfaceAddress,
  type InterfaceAddressInput,
  type IpFamily,
} from "./address";
export { parseBitRate, formatBitRate, MIN_BIT_RATE, MAX_BIT_RATE } from "./bit-rate";
export { hostLinkName, ifbName, tableName, ROUTED_GATEWAY4, ROUTED_GATEWAY6, GUEST_IFNAME } from "./naming";
export { resolveCtx, type ServerRef } from "./net-state";
export type { AttachNetworkRequest, NetworkModeInput, RateInput, RateLimit } from "./spec";
