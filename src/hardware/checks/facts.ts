import type { Check, CheckStatus, DockerStatus, GpuInfo, NvidiaStatus, SystemInfo } from '../../api/schemas/hardware.js';

/** Everything one scan gathered; checks are pure functions of this. */
export interface HardwareFacts {
  nvidia: NvidiaStatus;
  gpus: GpuInfo[];
  system: SystemInfo;
  docker: DockerStatus;
}

export function check(id: string, status: CheckStatus, title: string, detail: string, fix: string | null = null, link: string | null = null): Check {
  return { id, status, title, detail, fix, link };
}

export const GiB = 1024;

/** Counted in 1024s, so labelled GiB (Akash's own figures, quoted in the checks, are its GB). */
export function gib(mib: number): string {
  return `${Math.round((mib / GiB) * 10) / 10} GiB`;
}
