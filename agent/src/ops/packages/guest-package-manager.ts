/**
 * The guest's own package managers, run inside the server through the exec path
 * (vs-enter joins the server's cgroup and namespaces and execs the GUEST's binary, found
 * on the guest's PATH): the host never runs its apt-get or rpm on a guest tree. Which
 * managers a root has is looked up through guestfs (symlinks resolved inside the root).
 */
import { closeSync } from "node:fs";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { DEFAULT_ENTER_ENV, type EnterCommand } from "../../kernel/launch/enter-spec";
import { guestExecutable } from "../build/finish-root";

/** The package tools of util-vserver (vapt-get, vrpm) and the update operation. */
export type PackageTool = "apt-get" | "rpm" | "dnf" | "yum";

/** Environment of package commands: debconf never asks, messages stay untranslated. */
export const PACKAGE_ENV: readonly string[] = [...DEFAULT_ENTER_ENV, "DEBIAN_FRONTEND=noninteractive", "LC_ALL=C.UTF-8", "LANG=C.UTF-8"];

/** The command that runs `tool ARGS…` in the guest. */
export function packageCommand(tool: PackageTool, args: readonly string[]): EnterCommand {
  return { argv: [tool, ...args], env: [...PACKAGE_ENV], cwd: "/" };
}

/** Which of the tools the root at `root` has (in /usr/bin, /bin, /usr/sbin or /sbin). */
export function guestPackageTools(root: string): PackageTool[] {
  const fd = openGuestRoot(root);
  try {
    const has = (t: string) => ["/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/"].some((d) => guestExecutable(fd, d + t));
    return (["apt-get", "dnf", "yum", "rpm"] as const).filter(has);
  } finally {
    closeSync(fd);
  }
}

/** The commands of "update packages" for a root with these tools, or null when it has none. */
export function updateCommands(tools: readonly PackageTool[]): { tool: PackageTool; steps: string[][] } | null {
  if (tools.includes("apt-get")) {
    const keepConfig = ["-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold"];
    return { tool: "apt-get", steps: [["update"], ["-y", ...keepConfig, "upgrade"]] };
  }
  if (tools.includes("dnf")) return { tool: "dnf", steps: [["-y", "upgrade"]] };
  if (tools.includes("yum")) return { tool: "yum", steps: [["-y", "update"]] };
  return null;
}
