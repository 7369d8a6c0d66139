import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { createClient, type ClientSchemas, type Transport } from './client.js';
import { contractSchemas } from './contract-schemas.js';

const info = { name: 'RigLease', version: '1.2.3', host: 'headless', platform: 'linux', home: '/h', demo: false };

/** A transport holding answers that arrived before anyone asked, each handed out once. */
function holding(answers: Record<string, unknown>): Transport & { asked: string[] } {
  const held = new Map(Object.entries(answers));
  const asked: string[] = [];
  return {
    asked,
    invoke: async (method) => {
      asked.push(method);
      return { ok: true, value: info };
    },
    invokeArrived: (method) => {
      const answer = held.get(method);
      held.delete(method);
      return answer;
    },
    subscribe: () => () => undefined,
  };
}

describe('client.arrived: an answer already in hand, checked like any other', () => {
  it('hands over a held answer once, checked against the contract', () => {
    const client = createClient(holding({ 'app.info': { ok: true, value: info } }), contractSchemas);
    expect(client.arrived('app.info', {})).toEqual({ ok: true, value: info });
    expect(client.arrived('app.info', {})).toBeUndefined();
  });

  it('an agent error or an answer that breaks the contract comes back as the error a call would throw', () => {
    const client = createClient(
      holding({
        'app.info': { ok: true, value: { ...info, version: 7 } },
        'rig.status': { ok: false, error: { code: 'unauthorized', message: 'No token.' } },
      }),
      contractSchemas,
    );
    const broken = client.arrived('app.info', {});
    expect(broken?.ok === false && broken.error.code).toBe('internal');
    expect(broken?.ok === false && broken.error.message).toMatch(/did not match the contract/);
    const refused = client.arrived('rig.status', {});
    expect(refused?.ok === false && refused.error.code).toBe('unauthorized');
  });

  it("leaves a held answer alone while the method's schema is still loading: the call takes it", async () => {
    const transport = holding({ 'app.info': { ok: true, value: info } });
    const loading: ClientSchemas = { output: async (m) => contractSchemas.output(m), event: () => z.unknown() };
    const client = createClient(transport, loading);
    expect(client.arrived('app.info', {})).toBeUndefined();
    expect(transport.invokeArrived?.('app.info', {})).toEqual({ ok: true, value: info });
  });

  it('a transport that never holds answers (IPC, in-process) has none to give', () => {
    const client = createClient({ invoke: async () => ({ ok: true, value: info }), subscribe: () => () => undefined }, contractSchemas);
    expect(client.arrived('app.info', {})).toBeUndefined();
  });
});
