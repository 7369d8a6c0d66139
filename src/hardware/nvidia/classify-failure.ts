import type { NvidiaState } from '../../api/schemas/hardware.js';

/**
 * What nvidia-smi's own words mean. Patterns come from the captured messages in
 * shared/fixtures/nvidia-smi/error_*.txt; the text is checked first because it is what the
 * user saw, the exit code second.
 */
const TEXT_RULES: ReadonlyArray<{ re: RegExp; state: NvidiaState }> = [
  { re: /couldn't communicate with the NVIDIA driver|NVIDIA driver is not loaded/i, state: 'driver_not_loaded' },
  { re: /couldn't find libnvidia-ml|libnvidia-ml\.so|nvml\.dll|NVML Shared Library/i, state: 'library_missing' },
  { re: /Driver\/library version mismatch/i, state: 'version_mismatch' },
  { re: /No devices were found/i, state: 'no_devices' },
  { re: /Insufficient Permissions|permission denied/i, state: 'permission_denied' },
];

/**
 * nvidia-smi exits with the NVML return code (nvmlReturn_t, NVIDIA's NVML API reference, mirrored
 * in cuda-python's `nvml.Return`): 4 NO_PERMISSION, 6 NOT_FOUND, 9 DRIVER_NOT_LOADED,
 * 12 LIBRARY_NOT_FOUND, 18 LIB_RM_VERSION_MISMATCH (exit 18 seen in anderskm/gputil#55).
 */
export const NVIDIA_SMI_EXIT_CODES: Readonly<Record<number, NvidiaState>> = {
  4: 'permission_denied',
  6: 'no_devices',
  9: 'driver_not_loaded',
  12: 'library_missing',
  18: 'version_mismatch',
};

export function classifyNvidiaFailure(output: string, exitCode: number | null): NvidiaState {
  for (const rule of TEXT_RULES) if (rule.re.test(output)) return rule.state;
  if (exitCode !== null && NVIDIA_SMI_EXIT_CODES[exitCode]) return NVIDIA_SMI_EXIT_CODES[exitCode];
  return 'failed';
}

/** One sentence a person can act on, per state. */
export function describeNvidiaState(state: NvidiaState): string {
  switch (state) {
    case 'ok':
      return 'nvidia-smi answered.';
    case 'absent':
      return 'nvidia-smi was not found, so no NVIDIA driver seems to be installed.';
    case 'driver_not_loaded':
      return 'nvidia-smi could not talk to the NVIDIA driver: it is installed but not loaded.';
    case 'library_missing':
      return 'nvidia-smi could not find the NVIDIA management library (libnvidia-ml): the driver install is incomplete.';
    case 'no_devices':
      return 'The NVIDIA driver is loaded but sees no GPU.';
    case 'version_mismatch':
      return 'The NVIDIA driver was updated but the old one is still loaded (driver/library version mismatch).';
    case 'permission_denied':
      return 'This user is not allowed to run nvidia-smi or open the GPU devices.';
    case 'timeout':
      return 'nvidia-smi did not answer in time and was stopped; the driver may be hung.';
    case 'garbage':
      return 'nvidia-smi printed something that is not a complete GPU report.';
    case 'failed':
      return 'nvidia-smi failed for a reason it did not explain.';
  }
}
