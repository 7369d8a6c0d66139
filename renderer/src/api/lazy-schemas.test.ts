import { describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES } from '../../../src/api/contract.js';
import { EVENT_NAMES, events } from '../../../src/api/events.js';
import { lazySchemas } from './lazy-schemas.js';

describe('lazySchemas', () => {
  it('checks every answer against its own method’s output schema, as the whole contract does', async () => {
    for (const method of METHOD_NAMES) expect(await lazySchemas.output(method), method).toBe(contract[method].output);
  });

  it('checks every event against its own payload schema', async () => {
    for (const event of EVENT_NAMES) expect(await lazySchemas.event(event), event).toBe(events[event]);
  });
});
