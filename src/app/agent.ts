import os from 'node:os';
import type { Handlers } from '../api/dispatch.js';
import type { SecretStore } from '../store/secret-store.js';
import { SettingsStore } from '../store/settings-store.js';
import type { Paths } from '../store/paths.js';
import type { Logger } from '../util/logger.js';
import { contractHandlers } from './handlers/contract-handlers.js';
import { createDockerConnection, type DockerConnection } from '../core/docker-connection.js';
import { EventHub } from '../core/event-hub.js';
import { TaskRegistry } from '../core/task-registry.js';
import { createStackService, defaultStackSeams, type StackSeams } from './stack-wiring.js';
import { wireChainIntoStack } from './chain-stack-wiring.js';
import { createProviderCert } from './provider-cert/create-provider-cert.js';
import type { ProviderCertSync } from './provider-cert/provider-cert-sync.js';
import type { StackService } from '../provider/stack/stack-service.js';
import { DiagnosticsService } from './diagnostics/diagnostics-service.js';
import { createOnboardingRunner, type OnboardingRoomDeps, type OnboardingSeams } from './onboarding/onboarding-wiring.js';
import type { OnboardingRunner } from './onboarding/onboarding-runner.js';
import type { OnboardingContext } from './onboarding/onboarding-steps.js';
import { BenchService } from './bench-service.js';
import type { ChainService } from '../provider/chain/index.js';
import { walletExists } from '../provider/chain/wallet-state.js';
import { createHardwareService, type HardwareService } from '../hardware/index.js';
import type { NvidiaSmiRunner } from '../hardware/nvidia/nvidia-smi-runner.js';
import { createPricing } from './pricing/create-pricing.js';
import { nodeBidSink } from './pricing/node-bid-sink.js';
import { demoBidSink } from './demo/demo-bid-sink.js';
import { createAvailability } from './availability/create-availability.js';
import { memberAvailabilityHooks } from './farm/member-availability.js';
import type { PricingService } from './pricing/pricing-service.js';
import type { AvailabilityService } from './availability/availability-service.js';
import { noIdleSource, type IdleSource } from './availability/idle-source.js';
import { createFarmService } from './farm/farm-wiring.js';
import type { FarmService } from './farm/farm-service.js';
import type { NotificationCenter } from './desktop/notification-center.js';
import { createNotificationCenter } from './desktop/notification-wiring.js';
import type { PassphraseEntry } from './secrets/page-passphrase.js';
import { demoHardware } from './demo/demo-hardware.js';
import { demoStack } from './demo/demo-stack.js';
import { assertDemoWorld } from './demo/demo-guard.js';
import { createRelay } from './relay-wiring.js';
import { relayPublicAddress } from '../provider/network/relay-address.js';
import type { RelayService } from '../provider/network/relay-service.js';
import { createNetwork, type NetworkService } from '../provider/network/index.js';

export type HostKind = 'electron' | 'headless' | 'cli';

/** Everything the agent needs from its host; Electron and the headless server each pass their own. */
export interface AgentDeps {
  host: HostKind;
  paths: Paths;
  secrets: SecretStore;
  logger: Logger;
  version: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** The user's home (Docker Desktop's per-user sockets live there); default os.homedir(). */
  homeDir?: string;
  demo?: boolean;
  /** How nvidia-smi runs (scan, telemetry, gaming mode); default: spawned. Demo mode replays a capture in-process. */
  nvidiaSmi?: NvidiaSmiRunner;
  /** Seconds since the last user input (Electron powerMonitor); absent headless. */
  idle?: IdleSource;
  /** The OS confirmation before a wallet reveal (Electron: Touch ID / typed address suffix); absent headless, where the passphrase confirms. */
  confirmReveal?: (passphrase: string, address: string) => Promise<boolean>;
  /** Headless: the passphrase typed in the page (secrets.unlock); absent where the OS protects the key. */
  passphraseEntry?: PassphraseEntry;
}

/**
 * The composition root: builds the rooms in order, each from its own factory and deps, and binds
 * one handler per contract method (handlers/contract-handlers.ts). Building starts nothing (no
 * timer, no Docker or chain call): a long-running host calls `start()`, and every host `stop()`.
 * Hosts bind `handlers` with the shared dispatch loop and forward `hub` events.
 */
export class Agent {
  readonly hub = new EventHub();
  readonly tasks: TaskRegistry;
  readonly settings: SettingsStore;
  readonly hardware: HardwareService;
  /** The one Docker engine every part uses (scan, stack, prices, certificate, farm, benchmarks). */
  readonly docker: DockerConnection;
  /** The provider stack in Docker; built here, touches Docker only when a stack method is called. */
  readonly stack: StackService;
  /** Where the chain and pricing wiring plug the wallet and bid script into the stack. */
  readonly stackSeams: StackSeams = defaultStackSeams();
  /** Benchmarks and the pre-flight ladder; containers only while a run is going. */
  readonly bench: BenchService;
  /** Prices → bid script table → the running provider; market data on demand. */
  readonly pricing: PricingService;
  /** The registered provider certificate → the provider pod's /config/provider.pem (src/app/provider-cert). */
  readonly providerCert: ProviderCertSync;
  /** Online / paused / offline, gaming mode, schedules; drives the table's paused flag. */
  readonly availability: AvailabilityService;
  /** Lease won/ended, paused/resumed, errors, low balance → `app.notification` (src/app/desktop). */
  readonly notifications: NotificationCenter;
  /** Independent checks (other domains add theirs to `diagnostics.registry`) and the redacted export. */
  readonly diagnostics: DiagnosticsService;
  /** Addresses and NAT, and the DNS records kept on the public address (src/provider/network). */
  readonly network: NetworkService;
  /** The WireGuard tunnel to the user's own server, the provider's front door behind CGNAT (src/provider/network/README-relay.md). */
  readonly relay: RelayService;
  /** Where the wallet, pricing, network and stack wiring plug their checks into the onboarding wizard. */
  readonly onboardingSeams: OnboardingSeams = {};
  readonly handlers: Handlers;
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  readonly homeDir: string;

  // The rooms built on first use: their factories are called from the assembly below.
  private readonly buildChain: () => Promise<ChainService>;
  private readonly buildFarm: () => FarmService;
  private chainService: ChainService | null = null;
  private chainLoading: Promise<ChainService> | null = null;
  private farmService: FarmService | null = null;
  private onboardingRunner: OnboardingRunner<OnboardingContext> | null = null;

  /**
   * Wallet, provider registration, leases: loaded and built on first use. Start-up never touches
   * the chain, and an agent that never does (the idle tray app, the CLI's hardware command) never
   * loads chain-sdk and cosmjs, about 35 MiB of resident memory (npm run bench measures the tree).
   */
  chain(): Promise<ChainService> {
    return (this.chainLoading ??= this.buildChain().then((svc) => (this.chainService = svc)));
  }

  /** Farm mode (controller or member); built on first use. */
  get farm(): FarmService {
    return (this.farmService ??= this.buildFarm());
  }

  /** The resumable onboarding wizard; built on first use, after every seam is plugged. */
  get onboarding(): OnboardingRunner<OnboardingContext> {
    return (this.onboardingRunner ??= createOnboardingRunner(this.onboardingDeps(), this.onboardingSeams));
  }

  /** What the onboarding wizard's checks and "Start providing" use (tests build the real seams from it). */
  onboardingDeps(): OnboardingRoomDeps {
    return {
      tasks: this.tasks,
      hub: this.hub,
      stack: () => this.stack,
      settings: this.settings,
      hardware: this.hardware,
      farm: () => this.farm,
      chain: () => this.chain(),
      pricing: this.pricing,
      network: this.network,
      platform: this.platform,
      stateDir: this.deps.paths.stateDir,
      logger: this.deps.logger,
    };
  }

  /** Whether a wallet exists, from local files only: never loads the chain libraries. */
  walletExists(): Promise<boolean> {
    return walletExists(this.deps.paths.stateDir, this.deps.secrets);
  }

  constructor(readonly deps: AgentDeps) {
    // What the rooms take from the host, named once; each room is handed the parts its deps name.
    const env = (this.env = deps.env ?? process.env);
    const platform = (this.platform = deps.platform ?? process.platform);
    const homeDir = (this.homeDir = deps.homeDir ?? os.homedir());
    const { stateDir, historyDir, home } = deps.paths;
    const { secrets } = deps;
    const log = (room: string): Logger => deps.logger.child(room);
    const nvidiaSmi = deps.nvidiaSmi ? { nvidiaSmi: deps.nvidiaSmi } : {};
    const walletPresent = () => this.walletExists();
    const chain = () => this.chain();

    this.tasks = new TaskRegistry(this.hub);
    this.settings = new SettingsStore(
      deps.paths.settingsFile,
      (file, keptAs, reason) => deps.logger.warn('settings file could not be read; kept aside and started from defaults', { file, keptAs, reason }),
      // The store announces its own writes: no handler publishes settings.changed by hand.
      (next) => this.hub.publish('settings.changed', next),
    );
    const settings = this.settings;
    this.docker = createDockerConnection({ env, platform, homeDir });
    this.hardware = createHardwareService({ docker: this.docker, env, platform, homeDir, settings: async () => (await settings.all()).hardware, hub: this.hub, logger: log('hardware'), ...nvidiaSmi });
    // Demo mode: Docker is simulated, so the scan must not report the (deliberately absent) engine as missing.
    if (deps.demo) assertDemoWorld(env);
    if (deps.demo) this.hardware = demoHardware(this.hardware);
    this.stack = createStackService({ docker: this.docker, settings, hardware: this.hardware, home, stateDir, env, tasks: this.tasks, logger: log('stack') }, this.stackSeams);
    if (deps.demo) this.stack = demoStack(this.stack, { hardware: this.hardware, tasks: this.tasks });
    this.bench = new BenchService({
      settings: () => settings.all(),
      scan: (maxAgeMs) => this.hardware.scan({ maxAgeMs }),
      historyDir,
      env,
      platform,
      homeDir,
      docker: () => this.docker.client(),
      logger: log('bench'),
    });
    this.notifications = createNotificationCenter({ hub: this.hub, settings, walletExists: walletPresent, chain, logger: log('notifications') });
    this.buildChain = () =>
      import('../provider/chain/index.js').then(({ createChainService }) =>
        createChainService({
          secrets,
          stateDir,
          env,
          logger: deps.logger,
          settings: async () => {
            const s = await settings.all();
            return { network: s.general.network, chain: s.chain };
          },
          depositDenom: async () => (await settings.all()).stack.bidDepositDenom,
          ...(deps.confirmReveal ? { confirmReveal: deps.confirmReveal } : {}),
          providerPemInUse: () => this.providerCert.inUse(),
        }),
      );
    this.buildFarm = () =>
      createFarmService({
        oneShot: deps.host === 'cli',
        hub: this.hub,
        tasks: this.tasks,
        stateDir,
        secrets,
        settings,
        docker: () => this.docker.client(),
        hardware: this.hardware,
        availability: () => this.availability,
        benchHistory: (limit) => this.bench.historyView(limit),
        chain,
        stack: () => this.stack,
        walletExists: walletPresent,
        setBidding: (paused, reason) => this.pricing.setBidding(paused, reason),
        version: deps.version,
        logger: log('farm'),
        env,
      });
    this.availability = createAvailability({
      settings: () => settings.all(),
      stateDir,
      historyDir,
      platform,
      env,
      ...nvidiaSmi,
      lastScan: () => this.hardware.last(),
      idle: deps.idle ?? noIdleSource,
      providerPresent: () => this.pricing.providerPresent(),
      openLeases: async () => (await this.chain()).leases.open(),
      farmOwnTable: (bidding, reason) => this.farm.controllerAvailability.own(bidding, reason),
      setTableBidding: (paused, reason) => this.pricing.setBidding(paused, reason),
      onStatus: (status) => this.hub.publish('availability.changed', status),
      stack: { down: () => this.stack.down(), start: () => this.stack.start() },
      farm: memberAvailabilityHooks(() => this.farm.memberAvailability),
      farmMembers: () => this.farm.controllerAvailability.members(),
      notify: (key, title, body) => void this.notifications.submit({ kind: 'message', category: 'availability', key, title, body, source: 'availability' }),
      logger: log('availability'),
    });
    this.pricing = createPricing({
      settings,
      hardware: this.hardware,
      farmGpus: (own) => this.farm.pricingGpus(own),
      initialBidding: async () => {
        const s = await this.availability.status();
        // A farm controller with members: its own pause is its node's cordon; the farm's pause is the table's.
        return this.farm.controllerAvailability.table(s.bidding, s.reason).catch(() => ({ paused: !s.bidding, reason: s.reason }));
      },
      // Demo mode: the simulated stack's provider holds the table in memory (no Docker in the demo).
      sink: deps.demo ? demoBidSink() : nodeBidSink({ docker: this.docker, settings }),
      stateDir,
      env,
      onMarket: (view) => this.hub.publish('market.updated', view),
      logger: log('pricing'),
    });
    this.diagnostics = new DiagnosticsService({
      paths: deps.paths,
      platform,
      env,
      version: deps.version,
      host: deps.host,
      logger: log('diagnostics'),
      scan: (maxAgeMs) => this.hardware.scan({ maxAgeMs }),
      lastReport: () => this.hardware.last(),
      loadSettings: () => settings.all(),
    });
    this.network = createNetwork({
      settings: () => settings.all(),
      secrets,
      platform,
      env,
      logger: log('network'),
      // While the relay is on, tenants (and so the DNS records) reach this rig at the relay's address.
      dnsTarget: async () => relayPublicAddress((await settings.all()).network.relay),
    });
    this.relay = createRelay({ settings, secrets, logger: log('relay'), platform, env });
    this.stackSeams.pricing = async () => this.pricing.passthrough();
    wireChainIntoStack({ walletExists: walletPresent, chain, settings, hardware: this.hardware, secrets, env }, this.stackSeams);
    this.providerCert = createProviderCert({ docker: this.docker, settings, stateDir, secrets, walletExists: walletPresent, chain, checks: this.diagnostics.registry, logger: log('provider-cert') });
    this.stackSeams.nodeFiles = () => this.providerCert.nodeFiles();
    this.hub.registerOnDemand('market.updated', { start: () => this.pricing.startMarketTimer(), stop: () => this.pricing.stopMarketTimer() });
    this.handlers = contractHandlers({
      info: { version: deps.version, host: deps.host, platform, paths: deps.paths, demo: deps.demo ?? false },
      env,
      logger: deps.logger,
      hub: this.hub,
      tasks: this.tasks,
      settings,
      secrets,
      passphraseEntry: deps.passphraseEntry,
      docker: this.docker,
      hardware: this.hardware,
      stack: () => this.stack,
      bench: this.bench,
      pricing: this.pricing,
      availability: this.availability,
      diagnostics: this.diagnostics,
      network: this.network,
      relay: this.relay,
      farm: () => this.farm,
      onboarding: () => this.onboarding,
      chain,
      walletExists: walletPresent,
    });
  }

  private started = false;
  private stopRelayWatch: (() => void) | null = null;

  /**
   * Starts the loops of a long-running host (the app, `riglease serve`, the demo session), in
   * this order: the network's dynamic DNS, the relay tunnel (and its watch on the settings), the
   * provider certificate hand-off (those three only outside the demo, whose network is
   * simulated), availability and then the price table it pauses, the farm loop, notifications
   * last, so that what they report on is already running. Building an Agent starts nothing: a
   * one-shot CLI command never calls this, and its process exits as soon as the work is done.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (!this.deps.demo) {
      // Does nothing without a token and a domain.
      this.network.startDynamicDns();
      // Keeps the tunnel up while the relay is on.
      void this.relay.start();
      this.stopRelayWatch = this.hub.subscribe('settings.changed', (s) => void this.relay.reconcile(s.network.relay));
      this.providerCert.start();
    }
    const log = this.deps.logger.child('availability');
    void this.availability
      .start()
      .then(() => this.pricing.reconcile())
      .catch((err: unknown) => log.warn('availability or price table start failed', { err: String(err) }));
    this.pricing.startReconcile();
    this.farm.start();
    this.notifications.start();
  }

  /**
   * Stops every loop, child process and timer the agent owns; called on quit. The started loops
   * stop in the reverse order of start(); then what any call may have begun (onboarding, a
   * benchmark, telemetry, the chain client, the stack's log streams). Safe without start().
   */
  async stop(): Promise<void> {
    this.notifications.stop();
    await this.farmService?.stop();
    this.pricing.stop();
    this.availability.stop();
    this.providerCert.stop();
    this.stopRelayWatch?.();
    this.stopRelayWatch = null;
    await this.relay.stop();
    this.network.stop();
    this.started = false;
    this.onboardingRunner?.stop();
    await this.bench.stop(this.tasks);
    await this.hardware.stop();
    this.chainService?.stop();
    await this.stack.stop();
  }
}
