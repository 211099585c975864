/** `vserver --host-info`: the host's cgroup backend, disk-limit mode and network setup. */
import { hostInfo } from "../ops/info/host-info";
import { cliPaths } from "./cli-support";
import { EXIT } from "./exit-codes";
import { humanBytes } from "./format";

/** Prints the host facts, one `key  value` per line. */
export async function hostInfoCommand(): Promise<number> {
  const h = await hostInfo(cliPaths());
  const n = h.network;
  const bridge = n.mode === "bridge" ? ` (bridge ${n.bridge ?? "-"}, gateways ${n.gateway4 ?? "-"} ${n.gateway6 ?? "-"})` : "";
  const lines = [
    `cgroup       ${h.cgroup.backend ?? "none"} (layout ${h.cgroup.layout}${h.cgroup.v2Mount ? `, cgroup2 at ${h.cgroup.v2Mount}` : ""})`,
    `controllers  ${h.cgroup.controllers.join(" ") || "-"}`,
    `devices      ${h.cgroup.deviceFilter}`,
    `disk mode    ${h.disk.mode ?? "none"}: ${h.disk.reason}`,
    `roots on     ${h.disk.fs} at ${h.disk.mountPoint}`,
    `network      ${n.mode}${bridge}, forwarding ${n.forwarding}`,
    `resources    ${h.resources.cpus} CPUs, ${humanBytes(h.resources.memoryBytes)} RAM`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return EXIT.OK;
}
