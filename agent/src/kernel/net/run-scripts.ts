/** The network's batch scripts run through the host's tools (kernel/run-tool.ts), one run a script. */
import { runTool } from "../run-tool";

/** Runs `ip -batch -` with the given script (nothing when empty). */
export async function ipBatchRun(script: string, netns?: string): Promise<void> {
  if (script) await runTool("ip", ["-batch", "-"], { input: script, netns });
}

/** Runs `nft -f -` (one transaction). */
export async function nftRun(script: string, okIf?: RegExp): Promise<void> {
  if (script) await runTool("nft", ["-f", "-"], { input: script, okIf });
}

/** Runs `tc -batch -`. */
export async function tcRun(script: string): Promise<void> {
  if (script) await runTool("tc", ["-batch", "-"], { input: script });
}
