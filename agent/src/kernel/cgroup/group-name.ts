/**
 * Names of cgroup directories. A vserver's group is named by its util-vserver name; the
 * parent is configurable (`VSERVER_CGROUP_PARENT`, default "vservers"; tests use
 * "vst-<random>"). Both become path components under /sys/fs/cgroup, so they are checked
 * strictly: no "/", no "..", nothing that collides with a cgroup interface file.
 */
import { badInput } from "../../errors";

/** The parent used when neither an option nor the environment names one. */
export const defaultParent = "vservers";

const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

// mkdir of "memory.max" or "tasks" would clash with (or shadow) interface files.
const reserved = new RegExp(
  "^(cgroup|cpu|cpuacct|cpuset|memory|io|blkio|pids|devices|freezer|hugetlb|rdma|misc|" +
    "net_cls|net_prio|perf_event)(\\.|$)|^(tasks|notify_on_release|release_agent)$",
);

/** Throws BAD_REQUEST unless `name` is a usable vserver group name. */
export function checkGroupName(name: string, field = "name"): string {
  if (!namePattern.test(name)) {
    throw badInput(
      field,
      `"${name}" is not a valid name (1-64 letters, digits, "_", "." or "-", starting with a letter or digit)`,
    );
  }
  if (reserved.test(name)) throw badInput(field, `"${name}" collides with a cgroup file name`);
  return name;
}

/** Checks a parent path ("vservers" or "a/b"): each component like a group name. */
export function checkParent(parent: string): string {
  const parts = parent.split("/");
  for (const part of parts) checkGroupName(part, "parent");
  return parts.join("/");
}

/** The parent from an option, else `VSERVER_CGROUP_PARENT`, else "vservers". */
export function resolveParent(option?: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  return checkParent(option ?? (env.VSERVER_CGROUP_PARENT?.trim() || defaultParent));
}
