/**
 * Where disk areas live on the host:
 *
 *   <rootDir>/NAME                    the server's root (loop mode: the image's mount point)
 *   <rootDir>/.images/NAME.img        loop mode: the ext4 image (dir 0700, file 0600)
 *   <confDir>/NAME/dlimits/mode       "project" or "loop"; written last (the commit mark)
 *   <confDir>/NAME/dlimits/directory  the limited directory (the root above)
 *   <confDir>/NAME/dlimits/space_total   limit in KiB (util-vserver's unit)
 *   <confDir>/NAME/dlimits/inodes_total  inode limit
 *   <confDir>/NAME/dlimits/projid     project mode: the project id
 *   <confDir>/NAME/dlimits/image      loop mode: the image path
 *
 * util-vserver kept one `dlimits/<id>/` per limited directory with `directory`,
 * `space_total` and `inodes_total`; one area per server makes that a flat directory
 * here, with the same file names and units.
 */
import path from "node:path";
import { badInput } from "../../errors";
import type { HostPaths } from "../../host-paths";

// util-vserver names: letters, digits, and . _ - inside; no leading dot (our own
// entries such as .images and .agent start with one), no slash, at most 64 bytes.
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Throws BAD_REQUEST (field `name`) unless `name` is a valid server name. */
export function checkServerName(name: string): void {
  if (typeof name !== "string" || !namePattern.test(name) || name.includes("..")) {
    throw badInput("name", `"${String(name)}" is not a server name (letters, digits, . _ -; not starting with a dot)`);
  }
}

/** The paths of one server's disk area. */
export interface AreaPaths {
  /** The server's root directory. */
  root: string;
  /** Where loop images live. */
  imagesDir: string;
  /** The loop image of this server. */
  image: string;
  /** The server's config directory. */
  confDir: string;
  /** Its `dlimits` record. */
  dlimitsDir: string;
}

/** Paths of the disk area of `name` (validated). */
export function areaPaths(paths: HostPaths, name: string): AreaPaths {
  checkServerName(name);
  const imagesDir = imagesDirOf(paths);
  const confDir = path.join(paths.confDir, name);
  return {
    root: path.join(paths.rootDir, name),
    imagesDir,
    image: path.join(imagesDir, `${name}.img`),
    confDir,
    dlimitsDir: path.join(confDir, "dlimits"),
  };
}

/** `<rootDir>/.images`: on the roots' filesystem, so images draw on the same space. */
export function imagesDirOf(paths: HostPaths): string {
  return path.join(paths.rootDir, ".images");
}

/** The server name an image file belongs to, or null for anything else in the images dir. */
export function nameOfImage(file: string): string | null {
  if (!file.endsWith(".img")) return null;
  const name = file.slice(0, -4);
  return namePattern.test(name) && !name.includes("..") ? name : null;
}
