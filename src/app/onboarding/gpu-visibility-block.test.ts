import { describe, expect, it } from 'vitest';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import { blockingChecks } from './onboarding-steps.js';

describe('no GPU for Akash on WSL2 / Docker Desktop', () => {
  it('blocks GPU providing but can be accepted knowingly, so CPU providing goes on', () => {
    const report = { checks: [{ id: 'gpu.akash-visible', status: 'block', title: 'GPU visible to Akash', detail: 'WSL2', fix: 'CPU providing can go on', link: null }] } as unknown as HardwareReport;
    expect(blockingChecks(report)).toEqual([{ id: 'gpu.akash-visible', title: 'GPU visible to Akash', hard: false }]);
  });
});
