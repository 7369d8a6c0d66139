import { access, constants } from 'node:fs/promises';
import path from 'node:path';

export interface LocateInput {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** Settings `hardware.nvidiaSmiPath`; `RIGLEASE_NVIDIA_SMI` wins over it. */
  configuredPath: string | null;
  /** For tests: whether a file exists and may be run. Defaults to the real file system. */
  isExecutable?: (file: string) => Promise<boolean>;
}

export interface Located {
  /** What to run, or null when nothing was found. */
  path: string | null;
  /** Where it came from, for the check's detail text. */
  source: 'env' | 'settings' | 'path' | 'windows-default' | 'none';
  /** Everything we looked at, so "not found" can say where. */
  tried: string[];
}

/** The two places the NVIDIA Windows driver installs nvidia-smi (older drivers: NVSMI; newer: System32). */
export const WINDOWS_NVIDIA_SMI_PATHS = [
  'C:\\Program Files\\NVIDIA Corporation\\NVSMI\\nvidia-smi.exe',
  'C:\\Windows\\System32\\nvidia-smi.exe',
];

/**
 * Finds nvidia-smi: `RIGLEASE_NVIDIA_SMI`, then the setting, then PATH, then the Windows
 * default folders. An explicit env or setting is returned even if missing, so the scan reports
 * "absent at <that path>" instead of silently using another binary.
 */
export async function locateNvidiaSmi(input: LocateInput): Promise<Located> {
  const isExec = input.isExecutable ?? defaultIsExecutable(input.platform);
  const fromEnv = input.env['RIGLEASE_NVIDIA_SMI']?.trim();
  if (fromEnv) return { path: fromEnv, source: 'env', tried: [fromEnv] };
  if (input.configuredPath) return { path: input.configuredPath, source: 'settings', tried: [input.configuredPath] };

  const tried: string[] = [];
  const win = input.platform === 'win32';
  const p = win ? path.win32 : path.posix;
  const exe = win ? 'nvidia-smi.exe' : 'nvidia-smi';
  const pathVar = (win ? (input.env['Path'] ?? input.env['PATH']) : input.env['PATH']) ?? '';
  for (const dir of pathVar.split(win ? ';' : ':')) {
    if (!dir) continue;
    const candidate = p.join(dir.replace(/^"|"$/g, ''), exe);
    tried.push(candidate);
    if (await isExec(candidate)) return { path: candidate, source: 'path', tried };
  }
  if (win) {
    for (const candidate of WINDOWS_NVIDIA_SMI_PATHS) {
      tried.push(candidate);
      if (await isExec(candidate)) return { path: candidate, source: 'windows-default', tried };
    }
  }
  return { path: null, source: 'none', tried };
}

function defaultIsExecutable(platform: NodeJS.Platform): (file: string) => Promise<boolean> {
  // Windows has no execute bit; existence is what counts there.
  const mode = platform === 'win32' ? constants.F_OK : constants.X_OK;
  return async (file) => {
    try {
      await access(file, mode);
      return true;
    } catch {
      return false;
    }
  };
}
