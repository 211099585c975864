/** `vunify NAME… | --all [--dry-run]` (util-vserver's name): see ops/unify. */
import { unifyVservers } from "../ops/unify/unify-vservers";
import { cliPaths, parseOptions, UsageError } from "./cli-support";
import { EXIT, EXIT_HELP } from "./exit-codes";

/** Help of vunify. */
export const VUNIFY_HELP = `Usage: vunify NAME... | --all [-n|--dry-run] [-q|--quiet]
Shares the storage of identical files across servers that live on ONE filesystem with
reflinks (VSERVER_ROOTDIR on XFS made with reflink=1, or btrfs; servers built without
per-server loop images): the kernel compares the bytes (FIDEDUPERANGE) and each server
can still change its copy (copy-on-write). Configuration, data and logs are never
compared (/etc /var /home /root /tmp /run /srv /opt /usr/local …, but dpkg/apt/dnf package
data under /var is; lists in VSERVER_CONFDIR/.distributions/DIST/vunify-exclude or
.defaults/apps/vunify/exclude replace the built-in one). Prints the filesystem's used
bytes before and after. Servers on loop images or ext4: reported, nothing done.
  --all          every server of the host
  -n, --dry-run  only count what could be shared
${EXIT_HELP}`;

const mib = (n: number) => `${(n / (1 << 20)).toFixed(1)} MiB`;

/** Runs vunify. */
export async function vunifyMain(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    all: { type: "boolean" },
    "dry-run": { type: "boolean", short: "n" },
    quiet: { type: "boolean", short: "q" },
  });
  if (values.all && positionals.length) throw new UsageError("give NAMEs or --all, not both");
  if (!values.all && positionals.length === 0) throw new UsageError("give the servers to unify, or --all");
  const r = await unifyVservers(cliPaths(), {
    names: positionals,
    all: values.all,
    dryRun: values["dry-run"],
    log: values.quiet ? undefined : (l) => process.stderr.write(`${l}\n`),
  });
  for (const f of r.filesystems) {
    const head = `${f.fsType} (${f.servers.join(", ")})`;
    if (f.reason && f.sharedFiles === 0) process.stdout.write(`${head}: ${f.reason}\n`);
    else {
      process.stdout.write(
        `${head}: ${f.groups} groups of identical files, ${f.sharedFiles} files ${r.dryRun ? "could share" : "share"} ${mib(f.sharedBytes)}; used ${mib(f.usedBytesBefore)} before, ${mib(f.usedBytesAfter)} after (${mib(f.savedBytes)} saved)\n`,
      );
    }
  }
  process.stdout.write(`${r.message}\n`);
  return EXIT.OK;
}
