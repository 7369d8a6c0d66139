import { powerMonitor } from 'electron';
import type { IdleSource } from '../src/app/availability/idle-source.js';

/** Idle-only mode's input: seconds since the last keyboard or mouse input, from the OS. */
export const powerIdleSource: IdleSource = { available: true, idleSeconds: () => powerMonitor.getSystemIdleTime() };
