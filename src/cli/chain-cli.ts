import { createInterface } from 'node:readline';
import type { z } from 'zod';
import { RigError } from '../api/errors.js';
import type { TaskRef } from '../api/schemas/task.js';
import { taskEnded, type InProcessApi } from './in-process-api.js';
import { runMethod } from './run-method.js';
import type { CliContext } from './command.js';
import { UsageError } from './errors.js';

/**
 * Waits for a chain task started through the API, printing its steps on stderr (stdout stays
 * one JSON object), and returns its result checked against `schema`.
 */
export async function waitForTask<S extends z.ZodType>(agent: InProcessApi, ref: TaskRef, ctx: CliContext, schema: S, quiet: boolean): Promise<z.output<S>> {
  let last = '';
  const off = agent.hub.subscribe('task.progress', (p) => {
    if (quiet || p.task !== ref.id || p.state !== 'running' || p.message === last) return;
    last = p.message;
    ctx.err(`[${p.step}/${p.of}] ${p.message}\n`);
  });
  // Steps taken before this subscription (the first one runs as the task starts) come from the snapshot.
  const now = await runMethod(agent, 'task.get', { id: ref.id });
  if (!quiet && now.state === 'running' && now.step > 0) {
    last = now.message;
    ctx.err(`[${now.step}/${now.of}] ${now.message}\n`);
  }
  try {
    const snap = await taskEnded(agent, ref.id);
    if (snap.state !== 'succeeded') throw snap.error ? RigError.fromShape(snap.error) : new RigError('internal', `The task ${ref.id} ended as ${snap.state}.`);
    return schema.parse(snap.result);
  } finally {
    off();
  }
}

/** Lines from stdin (a pipe or a terminal), `count` of them; the secret never passes through argv. */
export async function readStdinLines(count: number, prompt?: (i: number) => string): Promise<string[]> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  const out: string[] = [];
  try {
    if (prompt) process.stderr.write(prompt(0));
    for await (const line of rl) {
      out.push(line);
      if (out.length >= count) break;
      if (prompt) process.stderr.write(prompt(out.length));
    }
  } finally {
    rl.close();
  }
  return out;
}

/** All of stdin (a pipe), or one line typed with echo off (a terminal). */
export async function readSecretFromStdin(prompt: string): Promise<string> {
  if (process.stdin.isTTY) return askHidden(prompt);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const finish = (err: RigError | null): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(null);
        if (ch === '\u0003') return finish(new RigError('cancelled', 'Cancelled.'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** "1.5" AKT (up to 6 decimals) → "1500000" uakt, exactly (no floats). */
export function aktToUakt(text: string): string {
  const m = /^(\d{1,12})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) throw new UsageError(`--amount ${JSON.stringify(text)} is not an AKT amount.`, 'Write it like 1.5 (at most 6 decimals), or use --uakt for micro units.');
  const uakt = BigInt(m[1]!) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'));
  if (uakt === 0n) throw new UsageError('--amount must be more than zero.');
  return uakt.toString();
}

/** uakt (a digit string or number of micro units) as "1.5 AKT". */
export function formatUakt(uakt: string | number): string {
  const v = BigInt(typeof uakt === 'number' ? Math.round(uakt) : uakt);
  const frac = (v % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${v / 1_000_000n}${frac ? `.${frac}` : ''} AKT`;
}
