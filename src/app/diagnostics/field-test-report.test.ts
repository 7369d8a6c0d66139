import { describe, expect, it } from 'vitest';
import { generateMnemonic } from '../../provider/chain/mnemonic.js';
import type { FieldTestReport } from './field-test-model.js';
import { formatReport, redactReport, textPathFor } from './field-test-report.js';

const HEX_KEY = 'a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778';

function report(output: string[], details: string[]): FieldTestReport {
  return {
    kind: 'riglease-field-test',
    version: 1,
    startedAt: '2026-12-06T01:00:00.000Z',
    endedAt: '2026-12-06T01:05:00.000Z',
    passed: false,
    cancelled: false,
    afterwards: 'the stack was left running (--keep).',
    machine: { os: 'Ubuntu 24.04', kernel: '6.8.0-49-generic', arch: 'x64', docker: '27.3.1', driver: '550.120', gpus: ['NVIDIA GeForce RTX 4090'], riglease: '0.1.0', node: 'v20.20.2', pins: { k3sVersion: 'v1.32.4-k3s1' }, images: { k3s: 'ghcr.io/riglease/k3s-cuda:x' } },
    steps: [
      { n: 1, id: 'stack', title: 'k3s image present and container running', status: 'passed', summary: 'ok', details, failure: null, fix: null, durationMs: 10 },
      { n: 2, id: 'k3s', title: 'k3s ready (node Ready)', status: 'failed', summary: 'kubectl could not read nodes: k3s is not answering.', details: [], failure: { command: 'docker exec riglease-k3s kubectl get nodes -o json', exitCode: 1, output }, fix: 'wait', durationMs: 3000 },
      { n: 3, id: 'crds', title: 'CRDs', status: 'not_run', summary: 'Not run, because step 2 (k3s ready (node Ready)) failed.', details: [], failure: null, fix: null, durationMs: 0 },
    ],
  };
}

describe('field test report', () => {
  it('removes phrases, hex keys, PEM keys and secret environment values from every string, keeping the rest', () => {
    const phrase = generateMnemonic();
    const passphrase = 'correct horse field test 42';
    const pem = '-----BEGIN TENDERMINT PRIVATE KEY-----\nkdf: bcrypt\nsalt: 00FF\n\nAbCdEf0123456789\n-----END TENDERMINT PRIVATE KEY-----';
    const r = redactReport(report([`error: ${phrase}`, `key=${HEX_KEY}`, `pass ${passphrase}`, 'The connection to the server 127.0.0.1:6443 was refused'], [pem]), { RIGLEASE_PASSPHRASE: passphrase });
    const all = JSON.stringify(r) + formatReport(r);
    expect(all).not.toContain(phrase);
    expect(all).not.toContain(HEX_KEY);
    expect(all).not.toContain(passphrase);
    expect(all).not.toContain('AbCdEf0123456789');
    expect(r.steps[1]!.failure!.output[3]).toBe('The connection to the server 127.0.0.1:6443 was refused');
    expect(r.steps[1]!.failure!.command).toBe('docker exec riglease-k3s kubectl get nodes -o json');
  });

  it('the text names each step, the failing command, its exit code and output, and the machine', () => {
    const text = formatReport(report(['refused'], []));
    expect(text).toContain('RigLease field test: 1 of 3 steps passed');
    expect(text).toContain('FAIL  2. k3s ready (node Ready): kubectl could not read nodes: k3s is not answering. (3 s)');
    expect(text).toContain('      command: docker exec riglease-k3s kubectl get nodes -o json\n      exit code: 1\n      output (last lines):\n        | refused');
    expect(text).toContain('SKIP  3. CRDs: Not run, because step 2 (k3s ready (node Ready)) failed.');
    expect(text).toContain('  NVIDIA driver 550.120');
    expect(textPathFor('/x/report.json')).toBe('/x/report.txt');
    expect(textPathFor('/x/report')).toBe('/x/report.txt');
  });
});
