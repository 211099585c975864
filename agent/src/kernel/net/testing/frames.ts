/**
 * Hand-made Ethernet frames for spoofing tests (ARP replies and neighbour advertisements
 * that claim someone else's address), and a sender. Node cannot open AF_PACKET sockets,
 * so the bytes are built here and written by a fixed three-line python3 program.
 */
import { parseIp } from "../address";
import { inNs, type Outcome } from "./fixture";

function mac(text: string): number[] {
  return text.split(":").map((h) => parseInt(h, 16));
}

function ip(text: string): number[] {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(`not an address: ${text}`);
  return [...parsed.bytes];
}

function checksum(bytes: number[]): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** An ARP reply: "senderIp is at senderMac", sent to `toMac`/`toIp`. */
export function arpReply(senderMac: string, senderIp: string, toMac: string, toIp: string): Buffer {
  return Buffer.from([
    ...mac(toMac), ...mac(senderMac), 0x08, 0x06,
    0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x02,
    ...mac(senderMac), ...ip(senderIp), ...mac(toMac), ...ip(toIp),
  ]);
}

/**
 * An unsolicited neighbour advertisement with the Override flag: "target is at
 * targetMac", from `srcIp` (e.g. the sender's own link-local) to all nodes.
 */
export function neighbourAdvert(srcMac: string, srcIp: string, target: string, targetMac: string): Buffer {
  const dstIp = ip("ff02::1");
  const icmp = [136, 0, 0, 0, 0x20, 0, 0, 0, ...ip(target), 2, 1, ...mac(targetMac)];
  const pseudo = [...ip(srcIp), ...dstIp, 0, 0, 0, icmp.length, 0, 0, 0, 58, ...icmp];
  const sum = checksum(pseudo);
  icmp[2] = sum >> 8;
  icmp[3] = sum & 0xff;
  const ipv6 = [0x60, 0, 0, 0, 0, icmp.length, 58, 255, ...ip(srcIp), ...dstIp];
  return Buffer.from([0x33, 0x33, 0, 0, 0, 1, ...mac(srcMac), 0x86, 0xdd, ...ipv6, ...icmp]);
}

const sender = "import socket,sys\ns=socket.socket(socket.AF_PACKET,socket.SOCK_RAW)\ns.bind((sys.argv[1],0));[s.send(bytes.fromhex(sys.argv[2])) for _ in range(3)]";

/** Writes a frame three times on `ifname` inside a namespace. */
export function sendFrame(nsPath: string, ifname: string, frame: Buffer): Promise<Outcome> {
  return inNs(nsPath, ["python3", "-c", sender, ifname, frame.toString("hex")]);
}
