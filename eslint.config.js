import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'util', 'worker_threads', 'url', 'events', 'zlib', 'tls', 'dns', 'process', 'buffer'];
const nodePatterns = [{ group: ['node:*'], message: 'The renderer is browser-only: ask the agent through the API client.' }];

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
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'src/ is headless; Electron gives it interfaces (SecretStore, Paths), never modules.' }] }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name=/^(read|write|append|exists|stat|lstat|readdir|mkdir|rm|rmdir|unlink|rename|copyFile|open|close|access|chmod|realpath|exec|execFile|spawn)Sync$/]:not([callee.object.name=/^(z|schema)$/])", message: 'No synchronous I/O in src/ (the agent serves a UI); use the promise API.' },
      ],
    },
  },
  {
    // The chain libraries (chain-sdk, cosmjs: ~35 MiB resident) load only when the chain is used:
    // outside src/provider/chain, reach it through `await agent.chain()` or a dynamic import().
    // Type imports are free; attributes, amounts, wallet-state, accrual, cert-expiry and money are light on purpose.
    files: ['src/**/*.ts'],
    ignores: ['src/provider/chain/**', 'src/app/demo/**', 'src/app/chain-stack-settings.ts', 'src/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/provider/chain/*', '!**/provider/chain/attributes.js', '!**/provider/chain/amounts.js', '!**/provider/chain/wallet-state.js', '!**/provider/chain/accrual.js', '!**/provider/chain/cert-expiry.js', '!**/provider/chain/money.js', '@akashnetwork/*', '@cosmjs/*', '!@cosmjs/crypto'],
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
