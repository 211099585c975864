/**
 * Bandwidth limits as `tc -batch -` lines. One HTB class per direction and device:
 * - to the server: HTB at the root of the host-side veth (its egress is the guest's ingress);
 * - from the server: HTB at the root of the server's IFB, which the nft table feeds
 *   (see nft-script.ts for why it is not a tc ingress redirect).
 * This kernel has neither act_police nor fq_codel, so shaping it is, with a plain pfifo
 * leaf.
 */

/** Class and leaf handles (one class: the whole device is limited). */
const ROOT = "1:";
const CLASS = "1:1";
const LEAF = "10:";

/** HTB parameters for a rate, chosen so that the limit is met within a few percent. */
export function htbParams(bitsPerSec: number): { burst: number; quantum: number } {
  const bytesPerSec = bitsPerSec / 8;
  // ~5 ms of traffic, at least a few full frames: a smaller bucket starves GSO packets
  // and a TCP flow never reaches the rate.
  const burst = Math.max(Math.ceil(bytesPerSec * 0.005), 16 * 1514);
  // HTB's default quantum (rate / r2q) trips "quantum is big" warnings above ~16 Mbit/s;
  // with one class per device the value only has to be in HTB's accepted range.
  const quantum = Math.min(Math.max(Math.ceil(bytesPerSec / 10), 1514), 200_000);
  return { burst, quantum };
}

function classLine(verb: "add" | "change", dev: string, bitsPerSec: number): string {
  const { burst, quantum } = htbParams(bitsPerSec);
  const rate = `${bitsPerSec}bit`;
  return `class ${verb} dev ${dev} parent ${ROOT} classid ${CLASS} htb rate ${rate} ceil ${rate} burst ${burst} cburst ${burst} quantum ${quantum}`;
}

/** Sets up a limit on a device that has none (replacing whatever root qdisc it had). */
export function limitCommands(dev: string, bitsPerSec: number): string[] {
  return [
    `qdisc replace dev ${dev} root handle ${ROOT} htb default 1`,
    classLine("add", dev, bitsPerSec),
    `qdisc add dev ${dev} parent ${CLASS} handle ${LEAF} pfifo limit 1000`,
  ];
}

/** Changes the rate of an existing limit in place (no packets dropped, no reordering). */
export function changeLimitCommands(dev: string, bitsPerSec: number): string[] {
  return [classLine("change", dev, bitsPerSec)];
}

/** Removes a limit: back to the device's default qdisc. */
export function unlimitCommands(dev: string): string[] {
  return [`qdisc del dev ${dev} root`];
}

/** Joins lines into a `tc -batch -` script. */
export function tcBatch(lines: string[]): string {
  return lines.length ? lines.join("\n") + "\n" : "";
}
