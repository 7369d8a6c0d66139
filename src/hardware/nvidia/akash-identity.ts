import type { AkashGpuIdentity } from '../../api/schemas/hardware.js';

/**
 * How Akash names a GPU in provider attributes and SDLs:
 * `capabilities/gpu/vendor/nvidia/model/<model>/ram/<n>Gi/interface/<pcie|sxm>`.
 *
 * Sources: the model names in akash-network/provider-configs `devices/pcie/gpus.json`
 * (lower case, no spaces, suffixes kept: `rtx4090`, `gtx1650super`, `rtx2080ti`, `rtx4000sffada`,
 * `rtxa6000`, `p2000`, `t4`, `a100`, `v100`, `h100`; memory as `24Gi`, `16Gi`, `80Gi`) and the
 * Akash docs' node labels (`...model.t4.ram.16Gi`, provider-attributes page). The Blackwell
 * workstation names `pro6000se`/`pro6000we`/`pro6000mq` come from Akash SDLs and the Console's
 * GPU lists (seen via code search) — not from gpus.json, so treat them as unconfirmed.
 *
 * The inventory operator reads gpus.json by PCI device id, not by name; this is our best
 * reading of the name so the UI and price script can talk about the card before k3s runs.
 */
export function akashIdentity(productName: string, vramMiB: number | null): AkashGpuIdentity | null {
  const model = akashModel(productName);
  // Without a memory size there is no attribute Akash would accept; say nothing rather than guess.
  if (!model || vramMiB === null || vramMiB <= 0) return null;
  return { model, ram: akashRam(vramMiB), interface: akashInterface(productName) };
}

/** Product name → Akash model slug; null when the name says nothing useful. */
export function akashModel(productName: string): string | null {
  let s = productName.toLowerCase().trim();
  if (!s || s === 'graphics device') return null;
  // Workstation Blackwell names do not follow the generic rule (unconfirmed, see above).
  if (/rtx pro 6000/.test(s)) {
    if (/max-q/.test(s)) return 'pro6000mq';
    if (/server/.test(s)) return 'pro6000se';
    return 'pro6000we';
  }
  s = s
    .replace(/\b(nvidia|geforce|tesla|quadro|grid)\b/g, ' ')
    .replace(/\bgeneration\b/g, ' ')
    // Interface and memory suffixes: "-PCIE-16GB", "-SXM4-80GB", " 80GB HBM3", " 6GB".
    .replace(/[-\s](pcie|sxm\d?|nvl)\b/g, ' ')
    .replace(/[-\s]?\d+\s?gb\b/g, ' ')
    .replace(/\bhbm\d?e?\b/g, ' ')
    // vGPU profile suffix: "P4-1Q" is a slice of a P4.
    .replace(/-\d+[abcq]\b/g, ' ')
    .replace(/\blaptop gpu\b/g, ' ')
    .replace(/[^a-z0-9]+/g, '');
  return s.length > 0 ? s : null;
}

/**
 * nvidia-smi reports usable memory, a little under the card's nominal size (a T4 shows
 * 15360 MiB, an A10G 23028 MiB, a P100 16280 MiB). Akash labels the nominal size, so round up
 * to the nearest size NVIDIA actually sells.
 */
const NOMINAL_GI = [1, 2, 3, 4, 5, 6, 8, 10, 11, 12, 16, 20, 24, 32, 40, 48, 64, 80, 94, 96, 141, 180, 192, 288];

export function akashRam(vramMiB: number): string {
  const gi = vramMiB / 1024;
  const nominal = NOMINAL_GI.find((n) => n >= gi - 0.05);
  return `${nominal ?? Math.ceil(gi)}Gi`;
}

/** SXM boards say so in their name, except the HBM3 H100 and the H200/B200 which only come as SXM. */
export function akashInterface(productName: string): 'pcie' | 'sxm' {
  const s = productName.toLowerCase();
  if (/sxm/.test(s)) return 'sxm';
  if (/\bh100\b.*\bhbm3\b/.test(s)) return 'sxm';
  if (/\b(h200|b200|b300|gb200)\b/.test(s) && !/\bnvl\b/.test(s)) return 'sxm';
  return 'pcie';
}
