import { describe, expect, it } from 'vitest';
import { WINDOWS_NVIDIA_SMI_PATHS, locateNvidiaSmi } from './locate-nvidia-smi.js';

/** A pretend file system: only these files exist. */
const only = (...files: string[]) => async (f: string) => files.includes(f);

describe('locateNvidiaSmi', () => {
  it('prefers RIGLEASE_NVIDIA_SMI over the setting and PATH', async () => {
    const r = await locateNvidiaSmi({ env: { RIGLEASE_NVIDIA_SMI: '/opt/x/nvidia-smi', PATH: '/usr/bin' }, platform: 'linux', configuredPath: '/s/nvidia-smi', isExecutable: only('/usr/bin/nvidia-smi') });
    expect(r).toMatchObject({ path: '/opt/x/nvidia-smi', source: 'env' });
  });

  it('uses the setting when the env is not set', async () => {
    const r = await locateNvidiaSmi({ env: { PATH: '/usr/bin' }, platform: 'linux', configuredPath: '/s/nvidia-smi', isExecutable: only('/usr/bin/nvidia-smi') });
    expect(r).toMatchObject({ path: '/s/nvidia-smi', source: 'settings' });
  });

  it('searches PATH in order on Linux', async () => {
    const r = await locateNvidiaSmi({ env: { PATH: '/a:/usr/bin:/b' }, platform: 'linux', configuredPath: null, isExecutable: only('/usr/bin/nvidia-smi', '/b/nvidia-smi') });
    expect(r).toMatchObject({ path: '/usr/bin/nvidia-smi', source: 'path' });
  });

  it('searches Path with ; and nvidia-smi.exe on Windows', async () => {
    const exe = 'C:\\Tools\\nvidia-smi.exe';
    const r = await locateNvidiaSmi({ env: { Path: 'C:\\Windows;C:\\Tools' }, platform: 'win32', configuredPath: null, isExecutable: only(exe) });
    expect(r).toMatchObject({ path: exe, source: 'path' });
  });

  it('falls back to the NVSMI folder, then System32, on Windows', async () => {
    for (const p of WINDOWS_NVIDIA_SMI_PATHS) {
      const r = await locateNvidiaSmi({ env: { Path: 'C:\\Nope' }, platform: 'win32', configuredPath: null, isExecutable: only(p) });
      expect(r).toMatchObject({ path: p, source: 'windows-default' });
    }
  });

  it('does not look in Windows folders on Linux, and lists where it looked', async () => {
    const r = await locateNvidiaSmi({ env: { PATH: '/a:/b' }, platform: 'linux', configuredPath: null, isExecutable: only(...WINDOWS_NVIDIA_SMI_PATHS) });
    expect(r).toEqual({ path: null, source: 'none', tried: ['/a/nvidia-smi', '/b/nvidia-smi'] });
  });
});
