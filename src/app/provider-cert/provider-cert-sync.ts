import { X509Certificate } from 'node:crypto';
import type Docker from 'dockerode';
import type { ProviderCertFile, ProviderPemState } from '../../provider/chain/provider-cert-file.js';
import type { PemInUse } from '../../provider/chain/provider-service.js';
import { PROVIDER_CONFIG_NODE_DIR, readNodeFileState, writeNodeFile } from '../../provider/stack/node-file.js';
import type { Logger } from '../../util/logger.js';

/** How often the node is checked for the certificate (a recreated k3s container starts without it), as for the price table. */
export const CERT_RECONCILE_MS = 60_000;
/** The name the chart's `refresh_provider_cert.sh` looks for in its /config volume. */
export const PROVIDER_PEM_NAME = 'provider.pem';
/** The file holds the certificate's key (encrypted, but still): owner-only inside the node. */
export const PROVIDER_PEM_MODE = 0o600;

/** The provider chart's StatefulSet `akash-provider` has one pod. */
export const PROVIDER_POD = 'akash-provider-0';

export type CertHandoff =
  | { state: 'written' | 'in-place'; serial: string; restarted?: { ok: boolean; why?: string } }
  | { state: 'skipped'; reason: string };

export interface ProviderCertSyncDeps {
  docker: () => Docker;
  prefix: () => Promise<string>;
  walletExists: () => Promise<boolean>;
  /** The certificate on record, from local state only (no chain library is loaded for the minute check). */
  current: () => Promise<ProviderPemState>;
  /** Loaded lazily: a machine without a wallet never loads the chain libraries for this. */
  certFile: () => Promise<ProviderCertFile>;
  /** Whether the chain holds this serial as a valid certificate of the owner (the refresh script's first check). */
  validOnChain: (owner: string, serial: string) => Promise<boolean>;
  /**
   * When the provider pod's containers last started (the earliest running one): provider-services
   * loads the certificate once, at start. null when no provider pod runs (the next start reads the
   * file); 'unknown' when k3s could not be asked.
   */
  providerStartedAt: () => Promise<Date | null | 'unknown'>;
  /** When /config/provider.pem was last written in the node (its mtime), or null when that cannot be read. */
  fileWrittenAt: () => Promise<Date | null>;
  /** Deletes the provider pod so its StatefulSet starts it again and it loads the new certificate. */
  restartProvider: () => Promise<{ ok: boolean; why?: string }>;
  logger: Logger;
}

/**
 * Hands RigLease's registered provider certificate to the provider chart: writes it as
 * `provider.pem` into the node folder the provider pod mounts at /config, before the chart is
 * installed (`up`, through the stack's node-files seam) and again whenever the node lost it
 * (checked every minute, like the price table). Without it the chart's
 * `refresh_provider_cert.sh` publishes a certificate of its own at every pod start.
 */
export class ProviderCertSync {
  private timer: NodeJS.Timeout | null = null;
  private last: CertHandoff = { state: 'skipped', reason: 'not checked yet' };
  private lastWarning = '';

  constructor(private readonly deps: ProviderCertSyncDeps) {}

  status(): CertHandoff {
    return this.last;
  }

  /** The file for the node, or null: the stack's `up` writes it after starting k3s and before the chart manifests. */
  async nodeFiles(): Promise<{ dir: string; name: string; body: string; mode: number }[]> {
    if (!(await this.deps.walletExists())) return [];
    const cur = await this.deps.current();
    if (cur.state !== 'ready' || !(await this.deps.validOnChain(cur.address, cur.serial))) return [];
    const built = await (await this.deps.certFile()).pem();
    if (!built) return [];
    return [{ dir: PROVIDER_CONFIG_NODE_DIR, name: PROVIDER_PEM_NAME, body: built.pem, mode: PROVIDER_PEM_MODE }];
  }

  /**
   * Which certificate the provider reads now: the serial of the first certificate block of the
   * node's /config/provider.pem (null: no stack, no file, or nothing readable in it). Registration
   * asks before revoking a replaced certificate, so the one in use stays valid until its
   * successor is written there. Unknown when the engine cannot be asked.
   */
  async inUse(): Promise<PemInUse> {
    try {
      const onNode = await readNodeFileState(this.deps.docker(), await this.deps.prefix(), `${PROVIDER_CONFIG_NODE_DIR}/${PROVIDER_PEM_NAME}`);
      if (!onNode.container || onNode.body === null) return { known: true, serial: null };
      const serial = serialOf(onNode.body);
      if (serial === null) return { known: true, serial: null };
      // provider-services loads the certificate when it starts: a pod running since before the file
      // was written still serves the certificate it loaded then, whichever that was.
      const started = await this.deps.providerStartedAt();
      if (started === null) return { known: true, serial };
      if (started === 'unknown') return { known: false, reason: 'the provider pod could not be asked when it started (kubectl in the k3s node did not answer)' };
      const written = await this.deps.fileWrittenAt();
      if (!written) return { known: false, reason: 'when /config/provider.pem was written could not be read' };
      if (started.getTime() > written.getTime()) return { known: true, serial };
      return { known: false, reason: `the provider has run since ${started.toISOString()}, before certificate ${serial} was written to /config/provider.pem (${written.toISOString()}), and serves the one it loaded then until it restarts` };
    } catch (err) {
      return { known: false, reason: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Writes the file when a stack exists and its node lacks our certificate. */
  async reconcile(): Promise<CertHandoff> {
    this.last = await this.check();
    return this.last;
  }

  private async check(): Promise<CertHandoff> {
    if (!(await this.deps.walletExists())) return { state: 'skipped', reason: 'There is no wallet yet.' };
    const cur = await this.deps.current();
    if (cur.state !== 'ready') return { state: 'skipped', reason: cur.reason };
    const docker = this.deps.docker();
    const prefix = await this.deps.prefix();
    const onNode = await readNodeFileState(docker, prefix, `${PROVIDER_CONFIG_NODE_DIR}/${PROVIDER_PEM_NAME}`);
    if (!onNode.container) return { state: 'skipped', reason: 'The provider stack is not installed.' };
    // Ours already (certificate block equal, key block present): nothing decrypted, nothing asked of the chain.
    if (onNode.body !== null && firstCertificateBlock(onNode.body) === firstCertificateBlock(cur.certPem) && /ENCRYPTED PRIVATE KEY/.test(onNode.body)) {
      return { state: 'written', serial: cur.serial };
    }
    // A certificate the chain does not hold as valid would make the chart publish its own anyway.
    if (!(await this.deps.validOnChain(cur.address, cur.serial))) return { state: 'skipped', reason: `Certificate ${cur.serial} is not valid on chain (yet).` };
    const built = await (await this.deps.certFile()).pem();
    if (!built) return { state: 'skipped', reason: 'The certificate key or the wallet phrase is missing from the secret store.' };
    const r = await writeNodeFile(docker, prefix, PROVIDER_CONFIG_NODE_DIR, PROVIDER_PEM_NAME, built.pem, { mode: PROVIDER_PEM_MODE });
    if (!r.written) return { state: 'skipped', reason: r.reason };
    this.deps.logger.info('provider certificate written to the provider /config volume', { serial: built.serial, atomic: r.atomic });
    // It replaced another certificate (a renewal, or the chart's own): the running provider loaded
    // that one at start and serves it until it restarts, so it is restarted now to load ours.
    // (A node that lost the file gets it back without a restart: its pod starts with it.)
    const before = onNode.body === null ? null : serialOf(onNode.body);
    if (before !== null && before !== built.serial) {
      const restarted = await this.deps.restartProvider().catch((err: unknown) => ({ ok: false, why: err instanceof Error ? err.message : String(err) }));
      if (restarted.ok) this.deps.logger.info('provider pod restarted to load the new certificate', { serial: built.serial, replaced: before });
      else this.deps.logger.warn('provider pod not restarted; it loads the new certificate at its next start', { serial: built.serial, why: restarted.why });
      return { state: r.atomic ? 'written' : 'in-place', serial: built.serial, restarted };
    }
    return { state: r.atomic ? 'written' : 'in-place', serial: built.serial };
  }

  start(): void {
    if (this.timer) return;
    const run = () =>
      void this.reconcile().catch((err: unknown) => {
        const msg = err instanceof Error ? err.message : String(err);
        // One warning per distinct reason: a locked secret store or a stopped engine must not fill the log.
        if (msg !== this.lastWarning) this.deps.logger.warn('provider certificate check failed', { err: msg });
        this.lastWarning = msg;
        this.last = { state: 'skipped', reason: msg };
      });
    run();
    this.timer = setInterval(run, CERT_RECONCILE_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** Decimal serial of a file's first certificate (what the refresh script and provider-services read), or null. */
function serialOf(text: string): string | null {
  const block = firstCertificateBlock(text);
  if (!block) return null;
  try {
    return BigInt(`0x${new X509Certificate(block).serialNumber}`).toString();
  } catch {
    return null;
  }
}

/** The first certificate block of a file, normalised (what `openssl x509 -serial` reads): compares a node's file with ours without decrypting anything. */
export function firstCertificateBlock(text: string): string | null {
  const m = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(text);
  return m ? m[0].replace(/\r\n/g, '\n') : null;
}

