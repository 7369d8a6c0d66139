import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

// Every Node built-in, bare and with subpaths (`fs/promises`); `node:*` is caught by the pattern below.
const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_') && !m.includes('/'));
const nodePatterns = [
  { group: ['node:*', ...nodeBuiltins.map((m) => `${m}/*`)], message: 'The renderer is browser-only: ask the agent through the API client.' },
  { regex: '^(\\.\\./)+src/(?!api/)', message: 'The renderer sees the agent only through the contract (src/api); the rest of src/ is Node code.' },
];

/*
 * Import rules per room (ARCHITECTURE.md, src/README.md), as no-restricted-imports patterns over
 * relative specifiers (`../../app/x.js`). ESLint keeps only the last matching setting of a rule,
 * so each folder's entry repeats the src-wide bans (electron, test/) beside its own.
 */
const electronBan = { name: 'electron', message: 'src/ is headless; Electron gives it interfaces (SecretStore, Paths), never modules.' };
const testBan = { regex: '^(\\.\\./)+test/', message: 'Product code never imports test/ (only *.test.ts may).' };
const simulationBan = { regex: '^(\\.\\./)+simulation/', message: "The simulated chain and market are the demo's world: only src/app/demo starts them (tests may use them too)." };
const hostBan = (room) => ({ regex: '^(\\.\\./)+(app|server|cli)/', message: `${room} is a room the Agent composes: it gets what it needs as arguments (core, api, util), never from app, server or cli.` });
/** The stack modules provider/farm used before the rule; the stack has no public index yet. New ones fail. */
const farmStackAllowed = ['names', 'hash', 'egress', 'pod-network', 'tar', 'preflight', 'docker-objects', 'docker-client'];
const rooms = [
  { files: ['src/core/**/*.ts'], patterns: [{ regex: '^(\\.\\./)+(app|hardware|provider|server|cli|store)/', message: 'core is what every room shares: it imports none of them.' }] },
  { files: ['src/hardware/**/*.ts'], patterns: [hostBan('hardware'), { regex: '^(\\.\\./)+(provider|store)/', message: 'hardware never imports another room (provider, store); the Agent composes them.' }] },
  { files: ['src/provider/stack/**/*.ts'], patterns: [hostBan('provider/stack')] },
  {
    files: ['src/provider/farm/**/*.ts'],
    patterns: [
      hostBan('provider/farm'),
      { regex: `^(\\.\\./)+(provider/)?stack/(?!(${farmStackAllowed.join('|')})\\.js$)`, message: "provider/farm uses the stack's exported factory and types only, not its internals." },
    ],
  },
  { files: ['src/provider/pricing/**/*.ts'], patterns: [hostBan('provider/pricing'), { regex: '^(\\.\\./)+store/', message: 'provider/pricing gets its files injected (see store/market-cache-file.ts), never the store.' }] },
  { files: ['src/app/**/*.ts'], patterns: [{ regex: '^(\\.\\./)+server/', message: 'app is host-agnostic: the server hosts the Agent, never the reverse.' }] },
  { files: ['src/simulation/**/*.ts'], patterns: [{ regex: '^(\\.\\./)+(app|server|cli|store|hardware)/', message: 'The simulation stands in for the outside world (chain, Console API): it uses the chain codecs and nothing of the agent.' }] },
];
const appRoom = rooms.find((r) => r.files.includes('src/app/**/*.ts'));
/**
 * Existing offenders, each with why it is not fixed yet; any other file breaking the same rule fails.
 * - demo-session.ts: the packaged demo starts the headless server itself.
 */
const allowed = [
  { files: ['src/app/demo/demo-session.ts'], drop: appRoom.patterns[0] },
];
/**
 * The Agent is the assembly (src/app/agent.ts): rooms get deps of their own and never see it, even
 * as a type. Only the hosts that build and serve one import it (agent-imports.test.ts keeps the
 * same list and also catches cycles).
 */
const agentBan = { regex: '^(\\.{1,2}/)+(app/)?agent\\.js$', message: 'Only hosts import the Agent: a room declares the deps it uses and agent.ts passes them.' };
const AGENT_HOSTS = ['src/app/demo/demo-agent.ts', 'src/app/headless-host.ts', 'src/cli/cli.ts'];
const restrict = (patterns, { agent = false } = {}) => ['error', { paths: [electronBan], patterns: agent ? patterns : [...patterns, agentBan] }];
const roomConfigs = [
  ...rooms.map((room) => ({ files: room.files, ignores: ['**/*.test.ts'], rules: { 'no-restricted-imports': restrict([testBan, simulationBan, ...room.patterns]) } })),
  // The demo is the one room that starts the simulation.
  { files: ['src/app/demo/**/*.ts'], ignores: ['**/*.test.ts'], rules: { 'no-restricted-imports': restrict([testBan, ...appRoom.patterns]) } },
];
const allowConfigs = allowed.map(({ files, drop }) => {
  const room = rooms.find((r) => r.files.some((glob) => files.every((f) => f.startsWith(glob.replace('/**/*.ts', '/')))));
  const mayUseSimulation = files.every((f) => f.startsWith('src/app/demo/'));
  const patterns = [testBan, ...(mayUseSimulation ? [] : [simulationBan]), ...(room?.patterns ?? [])].filter((p) => p !== drop);
  return { files, rules: { 'no-restricted-imports': restrict(patterns) } };
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bin/**', 'scripts/**', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Ring 1: src/ is plain Node and never sees Electron.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([testBan, simulationBan]),
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name=/^(read|write|append|exists|stat|lstat|readdir|mkdir|rm|rmdir|unlink|rename|copyFile|open|close|access|chmod|realpath|exec|execFile|spawn)Sync$/]:not([callee.object.name=/^(z|schema)$/])", message: 'No synchronous I/O in src/ (the agent serves a UI); use the promise API.' },
      ],
    },
  },
  ...roomConfigs,
  ...allowConfigs,
  // Tests may use the shared test tools and reach across rooms to build what they exercise.
  // The hosts build an Agent: the same rules as their folder, the Agent allowed.
  { files: ['src/app/headless-host.ts'], rules: { 'no-restricted-imports': restrict([testBan, simulationBan, ...appRoom.patterns], { agent: true }) } },
  { files: ['src/app/demo/demo-agent.ts'], rules: { 'no-restricted-imports': restrict([testBan, ...appRoom.patterns], { agent: true }) } },
  { files: AGENT_HOSTS.filter((f) => f.startsWith('src/cli/')), rules: { 'no-restricted-imports': restrict([testBan, simulationBan], { agent: true }) } },
  { files: ['src/**/*.test.ts'], rules: { 'no-restricted-imports': restrict([], { agent: true }) } },
  {
    // The chain libraries (chain-sdk, cosmjs: ~35 MiB resident) load only when the chain is used:
    // outside src/provider/chain, reach it through `await agent.chain()` or a dynamic import().
    // Type imports are free; attributes, amounts, wallet-state, accrual, lease-ledger, cert-expiry and money are light on purpose.
    files: ['src/**/*.ts'],
    ignores: ['src/provider/chain/**', 'src/app/demo/**', 'src/simulation/**', 'src/app/chain-stack-settings.ts', 'src/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/provider/chain/*', '!**/provider/chain/attributes.js', '!**/provider/chain/amounts.js', '!**/provider/chain/wallet-state.js', '!**/provider/chain/accrual.js', '!**/provider/chain/lease-ledger.js', '!**/provider/chain/cert-expiry.js', '!**/provider/chain/money.js', '@akashnetwork/*', '@cosmjs/*', '!@cosmjs/crypto'],
              allowTypeImports: true,
              message: 'Loads the chain libraries at start-up; use `await agent.chain()` or a dynamic import() (see Agent.chain).',
            },
          ],
        },
      ],
    },
  },
  {
    // The logger writes synchronously on purpose (a crash must not lose its last line); tests may too.
    files: ['src/util/logger.ts', 'src/**/*.test.ts', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Ring 3: the renderer is a web page.
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { paths: [...nodeBuiltins.map((name) => ({ name, message: 'The renderer is browser-only.' })), { name: 'electron', message: 'The renderer talks to the agent only through the API client.' }], patterns: nodePatterns }],
    },
  },
  {
    // Raw IPC only in the one binding file and the preload pipe (GitHub Desktop's rule).
    files: ['electron/**/*.ts', 'electron/**/*.cts'],
    ignores: ['electron/ipc.ts', 'electron/preload.cts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'ipcMain', message: 'Bind the contract in electron/ipc.ts; no per-method handlers.' },
        { object: 'ipcRenderer', message: 'Only the preload pipe uses ipcRenderer.' },
      ],
    },
  },
);
