import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { findElectronBinary } from './electron-binary.js';
import { capturesDir, readCapture, repoRoot } from './capture.js';

/**
 * The desktop shell: the same UI over IPC instead of HTTP. It needs a real Electron binary.
 * We look for it the way the electron package would, without requiring `electron` itself:
 * its index.js starts a download when the binary is missing, and tests never download.
 */
const binary = findElectronBinary(repoRoot, process.env);

test.describe('Electron shell', () => {
  test.skip(
    !binary.found,
    `No Electron binary installed here (ELECTRON_SKIP_BINARY_DOWNLOAD); the Electron shell cannot be launched${binary.found ? '' : ` — ${binary.reason}`}`,
  );

  test('opens a sandboxed window whose Readiness screen talks to the agent over IPC', async () => {
    if (!binary.found) throw new Error('unreachable: skipped above');
    const capture = 'rtx4090_535.86.05_1gpu.xml';
    const [gpu] = readCapture(capture);
    const userData = mkdtempSync(path.join(os.tmpdir(), 'riglease-electron-'));
    const app = await electron.launch({
      executablePath: binary.path,
      args: [repoRoot, `--user-data-dir=${userData}`, '--no-sandbox', '--disable-gpu'],
      env: {
        ...process.env,
        RIGLEASE_HOME: userData,
        RIGLEASE_NVIDIA_SMI: path.join(repoRoot, 'test', 'fake-nvidia-smi', 'nvidia-smi'),
        FAKE_NVIDIA_SMI_XML: path.join(capturesDir, capture),
        DOCKER_HOST: process.env.RIGLEASE_TEST_DOCKER_HOST ?? 'unix:///tmp/riglease-docker.sock',
      },
    });
    try {
      const window = await app.firstWindow();
      await expect(window).toHaveTitle(/RigLease/);
      // The preload exposes exactly one object; Node stays out of the page.
      expect(await window.evaluate(() => typeof (globalThis as { riglease?: unknown }).riglease)).toBe('object');
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      await expect(window.getByTestId('gpu-name').first()).toHaveText(gpu?.name ?? 'missing capture', { timeout: 30_000 });
      await window.screenshot({ path: path.join(repoRoot, 'test-results', 'screenshots', 'electron-readiness.png') });
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
