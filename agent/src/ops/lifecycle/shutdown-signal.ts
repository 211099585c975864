/**
 * Which signal asks a guest's init to power off. A signal sent from the host to a pid
 * namespace's init is delivered only if the init handles it, so each init gets the one
 * it treats as "power off":
 *
 * | style   | signal      | what the init does                                              |
 * |---------|-------------|-----------------------------------------------------------------|
 * | busybox | SIGUSR2     | runs `::shutdown:` actions, kills all, reboot(POWER_OFF)        |
 * | systemd | SIGRTMIN+4  | starts poweroff.target                                          |
 * | sysv    | SIGPWR      | runs the inittab power-failure actions (Debian: shut down)      |
 * | plain   | SIGTERM     | whatever the program does on SIGTERM                            |
 *
 * The style comes from `apps/init/style`; without it, from the init's executable
 * (`/proc/PID/exe`, a path in the guest's mount namespace; only its name is looked at).
 * Whatever is left after the stop timeout is killed through the cgroup.
 */
import fs from "node:fs";
import path from "node:path";
import type { InitStyle } from "../../config/vserver/types";

const SIGRTMIN = 34;

/** Signal numbers per style. */
export const SHUTDOWN_SIGNAL: Record<InitStyle, number> = {
  busybox: 12, // SIGUSR2
  systemd: SIGRTMIN + 4,
  sysv: 30, // SIGPWR
  plain: 15, // SIGTERM
};

/** The style of a running init, from the name of its executable. */
export function detectInitStyle(initPid: number): InitStyle {
  let exe = "";
  try {
    exe = fs.readlinkSync(`/proc/${initPid}/exe`);
  } catch {
    return "plain";
  }
  const base = path.basename(exe.replace(/ \(deleted\)$/, ""));
  if (base === "busybox") return "busybox";
  if (base === "systemd") return "systemd";
  if (base === "init") return "sysv";
  return "plain";
}
