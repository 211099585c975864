/**
 * Moving a tree's ids from one base to another (0.. → a server's range, or back): the
 * owner ids themselves, and the ids hidden in two kinds of xattrs that chown does not
 * translate: a file capability's root id (`security.capability`, v3 since Linux 4.14)
 * and the named entries of POSIX ACLs. Pure functions over the raw values.
 */

/** Ids [from, from+count) become [to, to+count); others stay as they are. */
export interface IdShift {
  from: number;
  to: number;
  count: number;
}

/** The shifted id, or null when `id` lies outside the shifted range. */
export function shiftId(id: number, s: IdShift): number | null {
  return id >= s.from && id < s.from + s.count ? id - s.from + s.to : null;
}

const VFS_CAP_REVISION_MASK = 0xff000000;
const VFS_CAP_REVISION_2 = 0x02000000;
const VFS_CAP_REVISION_3 = 0x03000000;
const CAP_V2_SIZE = 20;
const CAP_V3_SIZE = 24;

/**
 * `security.capability` for the shifted tree: v2 (root id 0) and v3 values get the
 * shifted root id, written as v3 (or as v2 when it becomes 0, the kernel's own form).
 * Anything else is returned unchanged.
 */
export function shiftCapability(value: Buffer, s: IdShift): Buffer {
  if (value.length < 4) return value;
  const magic = value.readUInt32LE(0);
  const rev = (magic & VFS_CAP_REVISION_MASK) >>> 0;
  let rootid: number;
  if (rev === VFS_CAP_REVISION_2 && value.length === CAP_V2_SIZE) rootid = 0;
  else if (rev === VFS_CAP_REVISION_3 && value.length === CAP_V3_SIZE) rootid = value.readUInt32LE(20);
  else return value;
  const next = shiftId(rootid, s);
  if (next === null) return value;
  const flags = magic & ~VFS_CAP_REVISION_MASK;
  const out = Buffer.alloc(next === 0 ? CAP_V2_SIZE : CAP_V3_SIZE);
  value.copy(out, 4, 4, CAP_V2_SIZE);
  out.writeUInt32LE(((next === 0 ? VFS_CAP_REVISION_2 : VFS_CAP_REVISION_3) | flags) >>> 0, 0);
  if (next !== 0) out.writeUInt32LE(next, 20);
  return out;
}

const ACL_VERSION = 2;
const ACL_USER = 0x02;
const ACL_GROUP = 0x08;

/** `system.posix_acl_access`/`_default`: named user and group entries shifted. */
export function shiftAcl(value: Buffer, s: IdShift): Buffer {
  if (value.length < 4 || (value.length - 4) % 8 !== 0 || value.readUInt32LE(0) !== ACL_VERSION) return value;
  const out = Buffer.from(value);
  for (let off = 4; off < out.length; off += 8) {
    const tag = out.readUInt16LE(off);
    if (tag !== ACL_USER && tag !== ACL_GROUP) continue;
    const next = shiftId(out.readUInt32LE(off + 4), s);
    if (next !== null) out.writeUInt32LE(next, off + 4);
  }
  return out;
}

/** The xattrs that carry ids, and how each is shifted. */
export const ID_XATTRS: Readonly<Record<string, (v: Buffer, s: IdShift) => Buffer>> = Object.freeze({
  "security.capability": shiftCapability,
  "system.posix_acl_access": shiftAcl,
  "system.posix_acl_default": shiftAcl,
});

/** A tree's xattrs map with the id-carrying values shifted (for an archive of a shifted root). */
export function shiftXattrMap(xattrs: Map<string, Buffer>, s: IdShift): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of xattrs) out.set(k, ID_XATTRS[k]?.(v, s) ?? v);
  return out;
}
