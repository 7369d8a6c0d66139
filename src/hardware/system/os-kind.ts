import type { OsKind } from '../../api/schemas/hardware.js';

export interface OsKindInput {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** Contents of /proc/version on Linux (null when unreadable). */
  procVersion: string | null;
}

/**
 * WSL2 is Linux to Node, but it changes the advice (GPU passes through the Windows driver, Docker
 * Desktop's WSL backend). Microsoft's kernel names itself in /proc/version ("…microsoft-standard-WSL2");
 * WSL also sets WSL_DISTRO_NAME in every shell.
 */
export function detectOsKind(input: OsKindInput): OsKind {
  switch (input.platform) {
    case 'win32':
      return 'windows';
    case 'darwin':
      return 'macos';
    case 'linux':
      if (input.env['WSL_DISTRO_NAME'] || /microsoft/i.test(input.procVersion ?? '')) return 'wsl2';
      return 'linux';
    default:
      return 'other';
  }
}

/** /etc/os-release → { distro, release }; systeminformation's osInfo spawns several tools for the same two strings. */
export function parseOsRelease(text: string): { distro: string | null; release: string | null } {
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) vars.set(m[1], m[2].replace(/^["']|["']$/g, ''));
  }
  return {
    distro: vars.get('NAME') ?? vars.get('ID') ?? null,
    release: vars.get('VERSION_ID') ?? vars.get('VERSION') ?? null,
  };
}
