import type { z } from 'zod';
import type { GpuNodeLabels } from '../../api/schemas/stack.js';

/** The part of a hardware scan the planner needs (kept small so the planner stays pure). */
export interface PlanGpu {
  uuid: string | null;
  name: string;
  pciSubSystemId: string | null;
  akash: { model: string; ram: string; interface: 'pcie' | 'sxm' | 'mig' } | null;
}

const NVIDIA_VENDOR = '10de';
const PREFIX = 'akash.network/';
const IFACE_LABEL: Record<'pcie' | 'sxm' | 'mig', string> = { pcie: 'PCIe', sxm: 'SXM', mig: 'MIG' };

/**
 * nvidia-smi prints the sub-system id as `0xDDDDVVVV` (sub-device, then sub-vendor). A sub-vendor
 * other than NVIDIA's 10de is a board-partner card (ASUS 1043, MSI 1462, Gainward 10b0 …),
 * which Akash's inventory operator is known to miss (AKASH.md §11, support#298).
 */
export function isBoardPartner(pciSubSystemId: string | null): boolean {
  if (!pciSubSystemId) return false;
  const hex = pciSubSystemId.toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{8}$/.test(hex)) return false;
  return hex.slice(4) !== NVIDIA_VENDOR;
}

/**
 * Node labels the Akash inventory expects (AKASH.md §7, e.g.
 * `akash.network/capabilities.gpu.vendor.nvidia.model.t4=1`), derived from our own scan so a
 * board-partner card is still offered. Values count the GPUs of that model.
 */
export function gpuNodeLabels(gpus: PlanGpu[]): { perGpu: z.infer<typeof GpuNodeLabels>[]; node: Record<string, string> } {
  const node: Record<string, string> = {};
  const bump = (key: string) => {
    node[key] = String(Number(node[key] ?? '0') + 1);
  };
  const perGpu = gpus.map((g) => {
    const boardPartner = isBoardPartner(g.pciSubSystemId);
    if (!g.akash) {
      return { uuid: g.uuid, name: g.name, model: null, boardPartner, labels: {}, note: `${g.name} is not in Akash's GPU list (provider-configs gpus.json), so no model label can be set; it must be submitted there first.` };
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
        ? `${g.name} is a board-partner card (sub-vendor not NVIDIA); Akash's inventory may miss it, so RigLease labels the node from its own scan.`
        : null;
    return { uuid: g.uuid, name: g.name, model: g.akash.model, boardPartner, labels, note };
  });
  if (gpus.length) {
    node['akash.network'] = 'true';
    // The device plugin chart's default affinity wants this (no node-feature-discovery here).
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
