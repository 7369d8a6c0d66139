import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { redact, redactText } from './redact.js';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(component: string): Logger;
}

const MAX_BYTES = 5 * 1024 * 1024;
const KEEP = 3;

/**
 * JSON-lines log with rotation; every field passes the redactor first. Writes are synchronous
 * on purpose: log lines are small and rare, and a crash must not lose the line that explains it.
 */
export function fileLogger(logsDir: string, component = 'agent', alsoStderr = false): Logger {
  const file = path.join(logsDir, 'agent.log');
  let ready = false;
  let written = 0;
  const write = (level: Level, comp: string, msg: string, fields?: Record<string, unknown>) => {
    const line = `${JSON.stringify({ t: new Date().toISOString(), level, c: comp, msg: redactText(msg), ...(fields ? (redact(fields) as object) : {}) })}\n`;
    try {
      if (!ready) {
        mkdirSync(logsDir, { recursive: true, mode: 0o700 });
        written = safeSize(file);
        ready = true;
      }
      if (written + line.length > MAX_BYTES) {
        rotate(file);
        written = 0;
      }
      appendFileSync(file, line, { mode: 0o600 });
      written += line.length;
    } catch {
      // Logging must never take the agent down.
    }
    if (alsoStderr && level !== 'debug') process.stderr.write(`[${level}] ${comp}: ${redactText(msg)}\n`);
  };
  const make = (comp: string): Logger => ({
    debug: (m, f) => write('debug', comp, m, f),
    info: (m, f) => write('info', comp, m, f),
    warn: (m, f) => write('warn', comp, m, f),
    error: (m, f) => write('error', comp, m, f),
    child: (c) => make(`${comp}.${c}`),
  });
  return make(component);
}

/** For tests and places with no folder yet. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

function safeSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function rotate(file: string): void {
  for (let i = KEEP - 1; i >= 1; i--) {
    try {
      renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    } catch {
      /* absent */
    }
  }
  try {
    renameSync(file, `${file}.1`);
  } catch {
    /* absent */
  }
}
