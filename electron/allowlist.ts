/**
 * The names the preload lets through, taken from the contract. scripts/build.mjs calls this at
 * build time and bakes the result into the preload bundle as constants, so the sandboxed
 * preload needs neither zod nor the contract code and can never drift from it.
 */
export interface Allowlists {
  methods: string[];
  events: string[];
}

export function buildAllowlists(contract: Readonly<Record<string, unknown>>, events: Readonly<Record<string, unknown>>): Allowlists {
  const names = (o: Readonly<Record<string, unknown>>) => Object.keys(o).filter(isChannelName).sort();
  return { methods: names(contract), events: names(events) };
}

/** A channel name is dotted lower-camel words; anything else (a typo, `__proto__`) is not let through. */
export function isChannelName(name: string): boolean {
  return /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/.test(name);
}
