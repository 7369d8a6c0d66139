import type { SettingsStore } from '../store/settings-store.js';
import type { SecretStore } from '../store/secret-store.js';
import type { Logger } from '../util/logger.js';
import { createRelayService, type RelayService } from '../provider/network/relay-service.js';

/** The relay room built from the agent's parts: settings `network.relay.*` and `stack.ports`, the secret store. */
export function createRelay(deps: { settings: SettingsStore; secrets: SecretStore; logger: Logger; platform: NodeJS.Platform; env: NodeJS.ProcessEnv }): RelayService {
  const wireguardGo = deps.env['RIGLEASE_WIREGUARD_GO'];
  const wg = deps.env['RIGLEASE_WG'];
  return createRelayService({
    settings: async () => {
      const s = await deps.settings.all();
      return { relay: s.network.relay, ports: s.stack.ports };
    },
    saveRelay: async (next) => void (await deps.settings.update((draft) => void (draft.network.relay = next))),
    secrets: deps.secrets,
    logger: deps.logger,
    platform: deps.platform,
    ...(wireguardGo ? { wireguardGo } : {}),
    ...(wg ? { wg } : {}),
  });
}
