import type { Handlers } from '../../api/dispatch.js';
import type { DockerConnection } from '../../core/docker-connection.js';
import type { EventHub } from '../../core/event-hub.js';
import type { TaskRegistry } from '../../core/task-registry.js';
import type { HardwareService } from '../../hardware/index.js';
import type { ChainService } from '../../provider/chain/index.js';
import type { NetworkService } from '../../provider/network/index.js';
import type { RelayService } from '../../provider/network/relay-service.js';
import type { StackService } from '../../provider/stack/stack-service.js';
import type { SecretStore } from '../../store/secret-store.js';
import type { SettingsStore } from '../../store/settings-store.js';
import type { Paths } from '../../store/paths.js';
import type { Logger } from '../../util/logger.js';
import type { AvailabilityService } from '../availability/availability-service.js';
import type { BenchService } from '../bench-service.js';
import { demoHandlers } from '../demo/demo-handlers.js';
import { demoNetworkHandlers } from '../demo/demo-network.js';
import { demoFleetHandlers } from '../demo/demo-fleet.js';
import type { DiagnosticsService } from '../diagnostics/diagnostics-service.js';
import type { FarmService } from '../farm/farm-service.js';
import type { OnboardingRunner } from '../onboarding/onboarding-runner.js';
import type { OnboardingContext } from '../onboarding/onboarding-steps.js';
import type { PricingService } from '../pricing/pricing-service.js';
import type { PassphraseEntry } from '../secrets/page-passphrase.js';
import { appHandlers } from './app-handlers.js';
import { availabilityHandlers } from './availability-handlers.js';
import { benchHandlers } from './bench-handlers.js';
import { bmeHandlers } from './bme-handlers.js';
import { chainHandlers } from './chain-handlers.js';
import { dashboardHandlers } from './dashboard-handlers.js';
import { diagnosticsHandlers } from './diagnostics-handlers.js';
import { farmHandlers } from './farm-handlers.js';
import { hardwareHandlers } from './hardware-handlers.js';
import { networkHandlers } from './network-handlers.js';
import { onboardingHandlers } from './onboarding-handlers.js';
import { ordersHandlers } from './orders-handlers.js';
import { pricingHandlers } from './pricing-handlers.js';
import { reclaimHandlers } from './reclaim-handlers.js';
import { relayHandlers } from './relay-handlers.js';
import { secretsHandlers } from './secrets-handlers.js';
import { settingsHandlers } from './settings-handlers.js';
import { stackHandlers } from './stack-handlers.js';
import { taskHandlers } from './task-handlers.js';

/** The rooms the contract's methods are answered by, as the assembly built them. Lazy rooms are functions. */
export interface ContractRooms {
  info: { version: string; host: 'electron' | 'headless' | 'cli'; platform: NodeJS.Platform; paths: Paths; demo: boolean };
  env: NodeJS.ProcessEnv;
  logger: Logger;
  hub: EventHub;
  tasks: TaskRegistry;
  settings: SettingsStore;
  secrets: SecretStore;
  passphraseEntry: PassphraseEntry | undefined;
  docker: DockerConnection;
  hardware: HardwareService;
  stack: () => StackService;
  bench: BenchService;
  pricing: PricingService;
  availability: AvailabilityService;
  diagnostics: DiagnosticsService;
  network: NetworkService;
  relay: RelayService;
  farm: () => FarmService;
  onboarding: () => OnboardingRunner<OnboardingContext>;
  chain: () => Promise<ChainService>;
  walletExists: () => Promise<boolean>;
}

/**
 * One handler per contract method, each from the room that owns it. Demo mode: benchmarks and
 * port mapping are refused in the banner's words (the stack and hardware are simulated rooms).
 */
export function contractHandlers(r: ContractRooms): Handlers {
  const { info, logger } = r;
  const handlers: Handlers = {
    ...appHandlers({ version: info.version, host: info.host, platform: info.platform, home: info.paths.home, demo: info.demo }),
    ...hardwareHandlers({ hardware: r.hardware, hub: r.hub }),
    ...settingsHandlers(r.settings),
    ...stackHandlers(r.stack()),
    ...taskHandlers(r.tasks),
    ...benchHandlers({ bench: r.bench, tasks: r.tasks }),
    ...chainHandlers({ chain: r.chain, settings: r.settings, hardware: r.hardware, farm: r.farm, pricing: r.pricing, tasks: r.tasks, env: r.env, logger }),
    ...pricingHandlers(r.pricing),
    ...availabilityHandlers(r.availability),
    ...diagnosticsHandlers({ diagnostics: r.diagnostics, stack: r.stack, tasks: r.tasks, paths: info.paths, settings: r.settings, demo: info.demo, logger }),
    ...onboardingHandlers(r.onboarding),
    ...farmHandlers(r.farm),
    ...dashboardHandlers({
      demo: info.demo,
      handlers: () => handlers,
      hardware: r.hardware,
      stateDir: info.paths.stateDir,
      secrets: r.secrets,
      relay: r.relay,
      walletExists: r.walletExists,
      chain: r.chain,
    }),
    ...secretsHandlers({ passphraseEntry: r.passphraseEntry, secrets: r.secrets }),
    ...reclaimHandlers({ chain: r.chain, logger }),
    ...bmeHandlers({ chain: r.chain, logger }),
    ...relayHandlers(r.relay),
    ...networkHandlers(r.network),
    ...ordersHandlers({
      demo: info.demo,
      pricing: r.pricing,
      walletExists: r.walletExists,
      chain: r.chain,
      docker: r.docker,
      namePrefix: async () => (await r.settings.all()).stack.namePrefix,
    }),
    ...(info.demo ? { ...demoHandlers(), ...demoNetworkHandlers(async () => (await r.settings.all()).stack.domain), ...demoFleetHandlers({ hardware: r.hardware, settings: r.settings, tasks: r.tasks, hub: r.hub }) } : {}),
  };
  return handlers;
}
