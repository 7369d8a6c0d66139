import type { z } from 'zod';
import type { GpuNodeLabels } from '../../api/schemas/stack.js';

/*
 * GPU node labels and chain attributes from RigLease's scan — and why RigLease does NOT put the
 * labels on the node (read from akash-network/provider @afc4dd7c, operator/inventory/):
 * - node-discovery.go `generateLabels()` builds the node's whole `akash.network*` +
 *   `nvidia.com/gpu.present` set from what the operator detected, and `monitor()` writes it as
 *   one JSON patch of /metadata/labels = (the node's labels minus every managed one) + its set.
 *   It compares with its own last set, read from the node when the operator starts: so labels
 *   RigLease adds are removed at every operator start and whenever its own set changes (node not
 *   Ready, cordon, config, registry refresh) — and the chart's liveness probe restarts the
 *   operator every few minutes while a node has GPU capacity but no recognised GPU, which is
 *   exactly what forcing `nvidia.com/gpu.present` on an unrecognised card produces. Flapping.
 * - Bids do not read labels: cluster/kube/operators/clients/inventory/inventory.go
 *   `tryAdjustGPU()` matches orders against the operator's detected GPU info.
 * - Detection: `parseGPUInfo()` takes ghw's /sys/class/drm cards and looks up PCI vendor id +
 *   PCI device id in provider-configs' gpus.json; the sub-system (board partner) is not read
 *   (the v0.16.0-a4 / -rc3 tags, off main, also scan PCI display controllers without DRM).
 * So labels are only compared (status), never applied; see README "How Akash's inventory finds a GPU".
 */

/** The part of a hardware scan the planner needs (kept small so the planner stays pure). */
export interface PlanGpu {
  uuid: string | null;
  name: string;
  pciSubSystemId: string | null;
  /** nvidia-smi's `00000000:84:00.0`; absent/null when the scan has none (then no DRM check). */
  pciBusId?: string | null;
  akash: { model: string; ram: string; interface: 'pcie' | 'sxm' | 'mig' } | null;
}

const NVIDIA_VENDOR = '10de';
const PREFIX = 'akash.network/';
const IFACE_LABEL: Record<'pcie' | 'sxm' | 'mig', string> = { pcie: 'PCIe', sxm: 'SXM', mig: 'MIG' };

/** Where a user reads about, or reports, a GPU Akash's inventory does not recognise. */
export const INVENTORY_LINKS = {
  /** Board-partner (AIB) cards not detected; open. */
  aibIssue: 'https://github.com/akash-network/support/issues/298',
  /** GPUs not detected until the host loads the nvidia_drm kernel module. */
  drmIssue: 'https://github.com/akash-network/support/issues/310',
  /** The GPU list (devices/pcie/gpus.json) the inventory operator looks cards up in. */
  gpuList: 'https://github.com/akash-network/provider-configs',
} as const;

/**
 * nvidia-smi prints the sub-system id as `0xDDDDVVVV` (sub-device, then sub-vendor). A sub-vendor
 * other than NVIDIA's 10de is a board-partner card (ASUS 1043, MSI 1462, Gainward 10b0 …),
 * which support#298 reports Akash's inventory missing (AKASH.md §11). The operator's own code
 * does not read the sub-system at all (see the README, "How Akash's inventory finds a GPU").
 */
export function isBoardPartner(pciSubSystemId: string | null): boolean {
  if (!pciSubSystemId) return false;
  const hex = pciSubSystemId.toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{8}$/.test(hex)) return false;
  return hex.slice(4) !== NVIDIA_VENDOR;
}

/**
 * What a user can do when Akash's inventory operator does not list a GPU: on provider main
 * (@afc4dd7c) the operator only sees cards that have a DRM device (`/sys/class/drm/cardN`, i.e.
 * the host's `nvidia_drm` module loaded; the v0.16.0-a4 and -rc3 tags add a PCI fallback) and whose
 * PCI vendor:device id is in provider-configs' gpus.json. Labels set by hand do not help: the
 * operator replaces every `akash.network*` label with its own.
 */
export function notRecognisedAdvice(g: { name: string; model: string | null; boardPartner: boolean; pciBusId?: string | null }, drm: DrmCards | null = null): string {
  if (!g.model) {
    return `${g.name} is not in Akash's GPU list (provider-configs gpus.json), so Akash's inventory cannot recognise it and the provider will not bid with it. Ask for it to be added at ${INVENTORY_LINKS.gpuList} (with the card's PCI device id).`;
  }
  const aib = g.boardPartner ? ` It is a board-partner card; support#298 (${INVENTORY_LINKS.aibIssue}) tracks such cards not being detected.` : '';
  const fix = `run "sudo modprobe nvidia_drm", make it load at boot (echo nvidia_drm | sudo tee /etc/modules-load.d/nvidia_drm.conf), then restart the stack`;
  const tail = `RigLease does not label the node itself: Akash's inventory operator removes labels it did not set.`;
  const addr = sysfsPciAddress(g.pciBusId ?? null);
  const seen = drmState(addr, drm);
  if (seen === 'absent') {
    const where = drm!.exists ? `/sys/class/drm has no card for ${addr}` : 'this machine has no /sys/class/drm at all';
    return (
      `Akash's inventory may not see ${g.name}: its GPU discovery looks for a DRM device, and ${where}. ` +
      `Load the host's nvidia_drm kernel module (support#310, ${INVENTORY_LINKS.drmIssue}): ${fix}.${aib} ${tail}`
    );
  }
  if (seen === 'present') {
    return (
      `Akash's inventory has not listed ${g.name} yet, although it has a DRM device (${addr}). It detects hardware a minute or two after its chart installs; ` +
      `if this stays, its PCI device id may be missing from Akash's GPU list (${INVENTORY_LINKS.gpuList}).${aib} ${tail}`
    );
  }
  return (
    `Akash's inventory has not recognised ${g.name}, so the provider does not bid with it.${aib} ` +
    `The usual cause is the host's nvidia_drm kernel module not being loaded (support#310, ${INVENTORY_LINKS.drmIssue}): ${fix}. ${tail}`
  );
}

/** The DRM cards of the machine as the inventory's hardware discovery (ghw) finds them. */
export interface DrmCards {
  /** False when /sys/class/drm does not exist (no GPU driver with DRM, or a VM/WSL2). */
  exists: boolean;
  /** Lower-case PCI addresses (`0000:84:00.0`) that have a `cardN` entry. */
  addresses: string[];
}

/**
 * One shell line for the k3s container (privileged, so /sys is the host's): one `cardN target`
 * line per entry of /sys/class/drm, exit 3 when the folder does not exist.
 */
export const DRM_PROBE = ['sh', '-c', 'cd /sys/class/drm 2>/dev/null || exit 3; for c in card*; do [ -e "$c" ] || [ -L "$c" ] || continue; echo "$c $(readlink "$c")"; done'];

const PCI_ADDRESS = /^[0-9a-f]{1,8}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/i;

/** nvidia-smi's `00000000:84:00.0` (or sysfs's `0000:84:00.0`) → `0000:84:00.0`; null if not an address. */
export function sysfsPciAddress(busId: string | null): string | null {
  if (!busId || !PCI_ADDRESS.test(busId.trim())) return null;
  const [domain, bus, devfn] = busId.trim().toLowerCase().split(':') as [string, string, string];
  // nvidia-smi pads the domain to 8 digits, sysfs to 4 (more when the domain needs them).
  return `${domain.replace(/^0+(?=[0-9a-f]{4})/, '').padStart(4, '0')}:${bus}:${devfn}`;
}

/**
 * Parses DRM_PROBE's output the way ghw v0.19.1 (pkg/gpu/gpu_linux.go) reads /sys/class/drm:
 * entries named `cardN` without a `-` (connectors like `card0-HDMI-A-1` are skipped), the PCI
 * address being the last path part of the link target that looks like one.
 */
export function parseDrmProbe(exitCode: number | null, stdout: string): DrmCards | null {
  if (exitCode === 3) return { exists: false, addresses: [] };
  if (exitCode !== 0) return null;
  const addresses = new Set<string>();
  for (const line of stdout.split('\n')) {
    const [name, target] = line.trim().split(/\s+/, 2);
    if (!name || !target || !/^card\d+$/.test(name)) continue;
    const part = target.split('/').reverse().find((x) => PCI_ADDRESS.test(x));
    const addr = sysfsPciAddress(part ?? null);
    if (addr) addresses.add(addr);
  }
  return { exists: true, addresses: [...addresses].sort() };
}

/** Whether the inventory can see this GPU's DRM device; unknown without an address or a probe. */
export function drmState(addr: string | null, drm: DrmCards | null): 'present' | 'absent' | 'unknown' {
  if (!drm) return 'unknown';
  if (!drm.exists) return 'absent';
  if (!addr) return 'unknown';
  return drm.addresses.includes(addr) ? 'present' : 'absent';
}

/**
 * The node labels Akash's inventory operator sets itself for GPUs it recognises (its
 * `generateLabels()`, AKASH.md §7, e.g. `akash.network/capabilities.gpu.vendor.nvidia.model.t4=1`),
 * derived from our scan. RigLease no longer applies them (the operator owns every
 * `akash.network*` label and `nvidia.com/gpu.present` and replaces the whole set): status
 * compares them with the node's labels to tell whether the operator recognised each GPU.
 * Values count the GPUs of that model. `node` is kept for the farm agent (src/provider/farm).
 */
export function gpuNodeLabels(gpus: PlanGpu[]): { perGpu: z.infer<typeof GpuNodeLabels>[]; node: Record<string, string> } {
  const node: Record<string, string> = {};
  const bump = (key: string) => {
    node[key] = String(Number(node[key] ?? '0') + 1);
  };
  const perGpu = gpus.map((g) => {
    const boardPartner = isBoardPartner(g.pciSubSystemId);
    if (!g.akash) {
      return { uuid: g.uuid, name: g.name, pciBusId: g.pciBusId ?? null, model: null, boardPartner, labels: {}, note: notRecognisedAdvice({ name: g.name, model: null, boardPartner }) };
    }
    const base = `capabilities.gpu.vendor.nvidia.model.${g.akash.model}`;
    const keys = [base, `${base}.ram.${g.akash.ram}`, `${base}.interface.${IFACE_LABEL[g.akash.interface]}`];
    const labels: Record<string, string> = {};
    const tooLong = keys.filter((k) => k.length > 63);
    for (const k of keys.filter((k) => k.length <= 63)) {
      labels[PREFIX + k] = '1';
      bump(PREFIX + k);
    }
    const note = tooLong.length
      ? `Label name too long for Kubernetes, skipped: ${tooLong.join(', ')}.`
      : boardPartner
        ? `${g.name} is a board-partner card (sub-vendor not NVIDIA). Akash's inventory looks GPUs up by PCI vendor:device id, not by board partner, but support#298 (${INVENTORY_LINKS.aibIssue}) reports such cards missed; "stack status" shows whether it was recognised.`
        : null;
    return { uuid: g.uuid, name: g.name, pciBusId: g.pciBusId ?? null, model: g.akash.model, boardPartner, labels, note };
  });
  if (gpus.length) {
    node['akash.network'] = 'true';
    node['nvidia.com/gpu.present'] = 'true';
  }
  return { perGpu, node };
}

/** Chain attributes for the GPUs (AKASH.md §4): value "true", model names lower case. */
export function gpuAttributes(gpus: PlanGpu[]): { key: string; value: string }[] {
  const out = new Map<string, string>();
  for (const g of gpus) {
    if (!g.akash) continue;
    const m = `capabilities/gpu/vendor/nvidia/model/${g.akash.model}`;
    out.set('capabilities/gpu', 'nvidia');
    out.set(m, 'true');
    out.set(`${m}/ram/${g.akash.ram}`, 'true');
    out.set(`${m}/interface/${g.akash.interface}`, 'true');
    out.set(`${m}/ram/${g.akash.ram}/interface/${g.akash.interface}`, 'true');
  }
  return [...out].map(([key, value]) => ({ key, value }));
}
