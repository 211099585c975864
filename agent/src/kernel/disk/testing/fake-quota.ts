/**
 * A project-quota layer for unit tests that behaves like the kernel's, because the test
 * kernel cannot enable project quotas (no CONFIG_XFS_QUOTA, no CONFIG_QFMT_V2):
 * - quotactl answers ESRCH while quota is "off"; Q_SETQUOTA takes hard/soft in pairs
 *   (like the native wrapper) and only changes the pairs given; limits are in 1 KiB
 *   blocks, curspace in bytes; 0 means no limit.
 * - allocation fails with EDQUOT when it would take usage *above* a hard limit (the
 *   kernel's check_bdq/check_idq: reaching the limit exactly is allowed), unless the
 *   writer has CAP_SYS_RESOURCE (ignore_hardlimit) — why guests must not have it.
 * - a new file or directory gets its parent's project id when the parent has
 *   PROJINHERIT, else project 0 (xfs_get_initial_prid, ext4's __ext4_new_inode).
 * - changing an inode's project id moves its inode and space charge to the new id,
 *   with EDQUOT if that takes the new id above a hard limit (__dquot_transfer).
 *   An inode the fake has not seen yet counts as charged to project 0 with its real
 *   st_blocks (it was made before the fake was watching).
 * Inodes are real files in a temp dir; the fake keeps their fsxattr by dev:ino.
 */
import fs from "node:fs";
import path from "node:path";
import { constants as C, fstatat, type Dqblk, type DqblkUpdate, type Fsxattr } from "@/native";
import type { QuotaLayer } from "../project/quota-layer";

type Dquot = Omit<Dqblk, "btime" | "itime" | "valid">;

function errnoError(code: string, errno: number, syscall: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}, ${syscall}`), { code, errno: -errno, syscall });
}

/** The fake, with helpers that play the guest's part. */
export class FakeQuota implements QuotaLayer {
  /** Whether project quota is "on" for the filesystem. */
  on = true;
  /** XFS answers ENOENT for an id it never saw; ext4 answers zeros. */
  xfsStyle = false;
  private readonly dquots = new Map<number, Dquot>();
  private readonly attrs = new Map<string, { projid: number; xflags: number; bytes: number }>();
  private failures = new Map<keyof QuotaLayer, number>();
  /** Every Q_SETQUOTA, for assertions. */
  readonly setCalls: { projid: number; update: DqblkUpdate }[] = [];

  /** Makes the n-th next call of `op` (1 = the next one) fail with EIO. */
  failOn(op: keyof QuotaLayer, n = 1): void {
    this.failures.set(op, n);
  }

  private gate(op: keyof QuotaLayer, syscall: string): void {
    const left = this.failures.get(op);
    if (left !== undefined) {
      if (left <= 1) {
        this.failures.delete(op);
        throw errnoError("EIO", 5, syscall, "injected failure");
      }
      this.failures.set(op, left - 1);
    }
    if (syscall === "quotactl_fd" && !this.on) throw errnoError("ESRCH", 3, syscall, "No such process");
  }

  private dquot(projid: number): Dquot {
    let d = this.dquots.get(projid);
    if (!d) {
      d = { bhardlimit: 0, bsoftlimit: 0, curspace: 0, ihardlimit: 0, isoftlimit: 0, curinodes: 0 };
      this.dquots.set(projid, d);
    }
    return d;
  }

  private key(fd: number): string {
    const st = fstatat(fd, "", C.AT_EMPTY_PATH);
    return `${st.dev}:${st.ino}`;
  }

  info(fd: number) {
    this.gate("info", "quotactl_fd");
    void fd;
    return { bgrace: 604800, igrace: 604800, flags: 0, valid: 0 };
  }

  get(fd: number, projid: number): Dqblk {
    this.gate("get", "quotactl_fd");
    void fd;
    if (this.xfsStyle && !this.dquots.has(projid)) throw errnoError("ENOENT", 2, "quotactl_fd", "No such file or directory");
    return { ...this.dquot(projid), btime: 0, itime: 0, valid: C.QIF_ALL };
  }

  set(fd: number, projid: number, update: DqblkUpdate): void {
    void fd;
    const pair = (a: keyof DqblkUpdate, b: keyof DqblkUpdate) => {
      if ((update[a] === undefined) !== (update[b] === undefined)) throw new TypeError(`give ${a} and ${b} together`);
    };
    pair("bhardlimit", "bsoftlimit");
    pair("ihardlimit", "isoftlimit");
    this.gate("set", "quotactl_fd");
    this.setCalls.push({ projid, update: { ...update } });
    const d = this.dquot(projid);
    if (update.bhardlimit !== undefined) {
      d.bhardlimit = update.bhardlimit;
      d.bsoftlimit = update.bsoftlimit!;
    }
    if (update.ihardlimit !== undefined) {
      d.ihardlimit = update.ihardlimit;
      d.isoftlimit = update.isoftlimit!;
    }
  }

  getFsxattr(fd: number): Fsxattr {
    this.gate("getFsxattr", "ioctl");
    const a = this.attrs.get(this.key(fd)) ?? { projid: 0, xflags: 0 };
    return { xflags: a.xflags, extsize: 0, nextents: 0, projid: a.projid, cowextsize: 0 };
  }

  setFsxattr(fd: number, attr: Partial<Omit<Fsxattr, "nextents">>): void {
    this.gate("setFsxattr", "ioctl");
    const k = this.key(fd);
    const a = this.attrs.get(k) ?? this.firstSight(fstatat(fd, "", C.AT_EMPTY_PATH).blocks * 512);
    const projid = attr.projid ?? a.projid;
    if (projid !== a.projid) {
      const to = this.dquot(projid);
      if (to.ihardlimit && to.curinodes + 1 > to.ihardlimit) throw errnoError("EDQUOT", 122, "ioctl", "Disk quota exceeded");
      if (to.bhardlimit && to.curspace + a.bytes > to.bhardlimit * 1024) throw errnoError("EDQUOT", 122, "ioctl", "Disk quota exceeded");
      const from = this.dquot(a.projid);
      from.curinodes = Math.max(0, from.curinodes - 1);
      from.curspace = Math.max(0, from.curspace - a.bytes);
      to.curinodes++;
      to.curspace += a.bytes;
    }
    this.attrs.set(k, { projid, xflags: attr.xflags ?? a.xflags, bytes: a.bytes });
  }

  private firstSight(bytes: number): { projid: number; xflags: number; bytes: number } {
    const d = this.dquot(0);
    d.curinodes++;
    d.curspace += bytes;
    return { projid: 0, xflags: 0, bytes };
  }

  /** The project id and flags of a path (test side; follows nothing). */
  attrsOf(p: string): { projid: number; xflags: number } {
    const st = fs.lstatSync(p, { bigint: true });
    const a = this.attrs.get(`${Number(st.dev)}:${st.ino}`) ?? { projid: 0, xflags: 0 };
    return { projid: a.projid, xflags: a.xflags };
  }

  /** Usage and limits of one id, as the kernel keeps them. */
  dquotOf(projid: number): Readonly<Dquot> {
    return { ...this.dquot(projid) };
  }

  private inheritFrom(dir: string): number {
    const a = this.attrsOf(dir);
    return a.xflags & C.FS_XFLAG_PROJINHERIT ? a.projid : 0;
  }

  private chargeInode(projid: number, privileged: boolean): void {
    const d = this.dquot(projid);
    if (d.ihardlimit && d.curinodes + 1 > d.ihardlimit && !privileged) throw errnoError("EDQUOT", 122, "open", "Disk quota exceeded");
    d.curinodes++;
  }

  /** Charges `bytes` to a project like a write would (EDQUOT above the hard limit). */
  charge(projid: number, bytes: number, privileged = false): void {
    const d = this.dquot(projid);
    if (d.bhardlimit && d.curspace + bytes > d.bhardlimit * 1024 && !privileged) throw errnoError("EDQUOT", 122, "write", "Disk quota exceeded");
    d.curspace += bytes;
  }

  /** The guest creates a file of `bytes` in `dir`: a real (empty) file, charged as the kernel would. */
  guestWrite(dir: string, name: string, bytes: number, privileged = false): void {
    const projid = this.inheritFrom(dir);
    this.chargeInode(projid, privileged);
    try {
      this.charge(projid, bytes, privileged);
    } catch (e) {
      this.dquot(projid).curinodes--;
      throw e;
    }
    const file = path.join(dir, name);
    fs.writeFileSync(file, "");
    const st = fs.lstatSync(file, { bigint: true });
    this.attrs.set(`${Number(st.dev)}:${st.ino}`, { projid, xflags: 0, bytes });
  }

  /** The guest makes a directory in `dir`: it inherits id and PROJINHERIT. */
  guestMkdir(dir: string, name: string): string {
    const projid = this.inheritFrom(dir);
    this.chargeInode(projid, false);
    const sub = path.join(dir, name);
    fs.mkdirSync(sub);
    const st = fs.lstatSync(sub, { bigint: true });
    const bytes = Number(st.blocks) * 512;
    try {
      this.charge(projid, bytes);
    } catch (e) {
      fs.rmdirSync(sub);
      this.dquot(projid).curinodes--;
      throw e;
    }
    const parent = this.attrsOf(dir);
    this.attrs.set(`${Number(st.dev)}:${st.ino}`, { projid, xflags: parent.xflags & C.FS_XFLAG_PROJINHERIT, bytes });
    return sub;
  }
}
