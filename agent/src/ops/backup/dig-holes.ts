/**
 * Makes restored files sparse again. restic 0.14 (Debian bookworm) restores every file
 * dense, so a guest's 10 GB sparse disk image would take 10 GB on the host after a
 * restore. After a whole-root restore (before the root runs), every regular file of at
 * least 1 MiB gets its zero-filled 4 KiB blocks deallocated (`fallocate --dig-holes`):
 * the contents stay byte for byte the same; a file that held zeros densely becomes
 * sparse too (restic did not record which were). Files are reached by an fd walk and
 * handed to fallocate as its stdin: no guest path is resolved by name.
 */
import { spawnSync } from "node:child_process";
import { closeSync } from "node:fs";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { openRegular, walkTree } from "../templates/tree-walk";

const MIN_SIZE = 1 << 20;

/** Digs holes in the large regular files under `root`; resolves with how many files were looked at. */
export async function digHoles(root: string): Promise<number> {
  const rootFd = openGuestRoot(root);
  let n = 0;
  try {
    await walkTree(rootFd, (e) => {
      if (e.st.type !== "file" || e.st.size < MIN_SIZE || e.st.blocks * 512 < MIN_SIZE) return;
      const fd = openRegular(e.dirfd, e.name, e.st.ino);
      if (fd === null) return;
      try {
        spawnSync("fallocate", ["--dig-holes", "/dev/stdin"], { stdio: [fd, "ignore", "ignore"] });
        n++;
      } finally {
        closeSync(fd);
      }
    });
  } finally {
    closeSync(rootFd);
  }
  return n;
}
