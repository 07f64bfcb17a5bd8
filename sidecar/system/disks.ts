/** Disk space per mount: /proc/mounts for what is mounted, statfs for how full it is. */
import { readFile, statfs } from "node:fs/promises";

/** One mounted file system. */
export interface MountInfo {
  readonly device: string;
  readonly path: string;
  readonly type: string;
}

/** Space on one mount, in bytes. */
export interface DiskFigures extends MountInfo {
  readonly totalB: number;
  readonly freeB: number;
  readonly usedB: number;
  readonly usedPercent: number;
}

/** File systems that hold no data of their own and are not worth reporting. */
const PSEUDO = new Set([
  "proc",
  "sysfs",
  "devtmpfs",
  "devpts",
  "cgroup",
  "cgroup2",
  "securityfs",
  "pstore",
  "debugfs",
  "tracefs",
  "configfs",
  "fusectl",
  "mqueue",
  "hugetlbfs",
  "bpf",
  "autofs",
  "binfmt_misc",
  "rpc_pipefs",
  "nsfs",
  "tmpfs",
  "ramfs",
  "squashfs",
  "efivarfs",
  "selinuxfs",
  "fuse.lxcfs",
  "nfsd",
]);

/** Decodes the octal escapes /proc/mounts uses for spaces and tabs ("\040"). */
function decodeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

/** Parses /proc/mounts into real file systems, first mount of each device only. */
export function parseMounts(text: string): MountInfo[] {
  const seen = new Set<string>();
  const out: MountInfo[] = [];
  for (const line of text.split("\n")) {
    const [device, path, type] = line.split(" ");
    if (!device || !path || !type || PSEUDO.has(type)) continue;
    if (seen.has(device) && device !== "overlay") continue;
    seen.add(device);
    out.push({ device: decodeOctal(device), path: decodeOctal(path), type });
  }
  return out;
}

/** Space on every real mount (mounts statfs cannot read are left out). */
export async function readDisks(proc = "/proc"): Promise<DiskFigures[]> {
  const mounts = parseMounts(await readFile(`${proc}/mounts`, "utf8"));
  const figures = await Promise.all(
    mounts.map(async (m): Promise<DiskFigures | null> => {
      try {
        const s = await statfs(m.path);
        const totalB = s.blocks * s.bsize;
        const freeB = s.bavail * s.bsize;
        const usedB = Math.max(0, totalB - s.bfree * s.bsize);
        const usable = usedB + freeB;
        return {
          ...m,
          totalB,
          freeB,
          usedB,
          usedPercent: usable > 0 ? Math.round((usedB / usable) * 1000) / 10 : 0,
        };
      } catch {
        return null;
      }
    }),
  );
  return figures.filter((f): f is DiskFigures => f !== null && f.totalB > 0);
}
