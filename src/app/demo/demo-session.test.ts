import { access } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DashboardSummary } from '../../api/schemas/dashboard.js';
import { startDemoSession } from './demo-session.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('the desktop app\'s "Try the demo" session', () => {
  it('serves the demo agent on 127.0.0.1 behind a fresh token, and closing it removes everything', async () => {
    // A packaged app's environment may have no PATH at all: nothing in the demo needs one.
    const session = await startDemoSession({ baseEnv: { HOME: process.env['HOME'] ?? '/' }, appRoot: repoRoot, version: '0.0.0-test', staticDir: null });
    const home = session.demo.world.home;
    let closed = false;
    try {
      expect(session.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const token = new URL(session.loginUrl).searchParams.get('token');
      expect(token).toBeTruthy();
      const call = (auth: string | null) =>
        fetch(`${session.origin}/api/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: JSON.stringify({ method: 'dashboard.summary', input: {} }) });
      expect((await call(null)).status).toBe(401);
      const res = await call(`Bearer ${token}`);
      const body = (await res.json()) as { ok: boolean; value: DashboardSummary };
      expect(body.ok).toBe(true);
      expect(body.value.demo).toBe(true);
      expect(body.value.gpus.map((g) => g.name)).toEqual(['NVIDIA GeForce RTX 3090']);
      expect(body.value.leases).toHaveLength(3);
      await session.close();
      closed = true;
      await expect(access(home)).rejects.toThrow(/ENOENT/);
      await expect(call(`Bearer ${token}`)).rejects.toThrow();
    } finally {
      if (!closed) await session.close();
    }
  }, 30_000);
});
