import type { DockerConnection } from '../../core/docker-connection.js';
import type { ChainService } from '../../provider/chain/index.js';
import type { ProviderCertFile } from '../../provider/chain/provider-cert-file.js';
import type { SecretStore } from '../../store/secret-store.js';
import type { Logger } from '../../util/logger.js';
import { singleCheck, type DiagnosticsRegistry } from '../diagnostics/check-registry.js';
import { certificateExpiryOutcome, certificateOnRecord } from './cert-expiry-check.js';
import { ProviderCertSync } from './provider-cert-sync.js';
import { providerPod } from './provider-pod.js';

/** What the provider-certificate room needs from the rest of the agent, and nothing more. */
export interface ProviderCertRoomDeps {
  docker: Pick<DockerConnection, 'client'>;
  /** The settings store: the stack's container name prefix is read at each check. */
  settings: { all(): Promise<{ stack: { namePrefix: string } }> };
  stateDir: string;
  secrets: SecretStore;
  /** From local files only (never loads the chain libraries). */
  walletExists: () => Promise<boolean>;
  /** The chain room, loaded on first use: only once a wallet exists and a certificate must be built or checked. */
  chain: () => Promise<ChainService>;
  /** Where the expiry check joins the others (diagnostics). */
  checks: Pick<DiagnosticsRegistry, 'add'>;
  logger: Logger;
}

/**
 * The registered provider certificate → the provider pod's /config/provider.pem, and the
 * diagnostics check of its expiry. Built without touching Docker or the chain; a check does.
 */
export function createProviderCert(deps: ProviderCertRoomDeps): ProviderCertSync {
  let file: Promise<ProviderCertFile> | null = null;
  const docker = () => deps.docker.client();
  const namePrefix = async () => (await deps.settings.all()).stack.namePrefix;
  deps.checks.add(
    singleCheck({
      id: 'chain.provider-certificate',
      area: 'chain',
      what: 'Provider certificate expiry',
      run: async () => {
        const { cur, retired } = await certificateOnRecord(deps.stateDir, deps.secrets, deps.walletExists);
        return certificateExpiryOutcome(cur, retired);
      },
    }),
  );
  return new ProviderCertSync({
    docker,
    prefix: namePrefix,
    walletExists: deps.walletExists,
    current: async () => (await certificateOnRecord(deps.stateDir, deps.secrets, deps.walletExists)).cur,
    certFile: () =>
      (file ??= Promise.all([deps.chain(), import('../../provider/chain/provider-cert-file.js')]).then(([chain, { ProviderCertFile }]) => new ProviderCertFile(chain.wallet, deps.secrets))),
    validOnChain: async (owner, serial) => {
      const chain = await deps.chain();
      const [{ client }, { queryCertificates }] = await Promise.all([chain.context.get(), import('../../provider/chain/provider-queries.js')]);
      return (await queryCertificates(client, owner)).some((c) => c.serial === serial && c.state === 'valid');
    },
    ...providerPod(docker, namePrefix),
    logger: deps.logger,
  });
}
