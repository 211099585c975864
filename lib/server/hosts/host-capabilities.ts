/** A host's capabilities as the panel stored them from its agent's health answer (Host.capabilities). */
import type { HostCapabilities } from "@/lib/protocol/health";

/** Reads the capabilities the host reported (an agent before them: nothing is assumed). */
export function hostCapabilitiesOf(json: string | null | undefined): HostCapabilities | null {
  try {
    const v = JSON.parse(json ?? "{}") as Partial<HostCapabilities>;
    return typeof v.onlineDiskGrow === "boolean" && typeof v.diskLimits === "string" ? (v as HostCapabilities) : null;
  } catch {
    return null;
  }
}
