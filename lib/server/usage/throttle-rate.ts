/**
 * The network rate a server gets when its plan's over-quota policy throttles it.
 *
 * A throttle only ever lowers the rate: the plan's `overQuotaMbit` is taken when it is
 * below the server's own rate, never above it. That is why `overQuotaMbit` needs no
 * bound of its own on a reseller's plan — the server's rate is bounded (by the admin's
 * network-rate bound), and a reseller cannot use the throttle to lift a server past it.
 */
export function throttleRateMbit(overQuotaMbit: number, currentMbit: number): number {
  // 0 is "unlimited": any throttle is lower.
  return currentMbit > 0 ? Math.min(overQuotaMbit, currentMbit) : overQuotaMbit;
}
