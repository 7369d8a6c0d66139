/**
 * Seconds since the user last touched keyboard or mouse. Electron implements it with
 * powerMonitor.getSystemIdleTime(); the headless host has no way to know and uses `noIdleSource`.
 */
export interface IdleSource {
  readonly available: boolean;
  idleSeconds(): number | null;
}

export const noIdleSource: IdleSource = { available: false, idleSeconds: () => null };
