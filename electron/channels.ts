/**
 * IPC channel names. preload.cts repeats them as literals (it is bundled on its own and must
 * stay tiny); channels.test.ts checks the two agree.
 */
export const CHANNEL = { rpc: 'rpc', subscribe: 'rpc:subscribe', unsubscribe: 'rpc:unsubscribe', event: 'rpc:event' } as const;
