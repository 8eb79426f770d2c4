// Lint rules that keep the architecture honest:
// - domain code (server/<domain>) imports neither next/* nor @trpc/*;
// - the owner connection (server/db/owner-pool) is for the migrator, launcher,
//   demo seed and tests only, and the raw Prisma client stays inside server/db
//   (the process entry points, server/main.ts and server/worker.ts, may close it);
// - the local model is a separate service: outside its folder only its start
//   function may be imported, and its own tests reach it over HTTP too;
// - process.env is read only in server/env.ts; raw SQL is never built from strings.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const ownerPool = {
  group: ['**/db/owner-pool', '**/db/owner-pool.ts'],
  message: 'The owner connection bypasses tenant context: only the migrator, launcher, demo seed and tests may use it.',
};
const rawPrisma = {
  group: ['**/db/prisma', '**/db/prisma.ts', '**/db/read-pool', '**/db/read-pool.ts'],
  message: 'Reach tenant data through withWorkspace() and friends in server/db/with-workspace.ts.',
};
const frameworks = [
  { group: ['next', 'next/*'], message: 'Domain code must not depend on Next.js (STYLE §12).' },
  { group: ['@trpc/*'], message: 'Domain code throws domain errors; only server/trpc knows tRPC (STYLE §12).' },
];

const localModelMessage =
  'The local model is a separate service: start it with startLocalModelServer() and talk to it over HTTP with the openai SDK.';
const localModelStart = ['startLocalModelServer', 'localModelOptionsFromEnv', 'LocalModelServer', 'LocalModelServerOptions'];
const localModel = [
  { group: ['**/llm/local-model/*', '!**/llm/local-model/local-model-server'], message: localModelMessage },
  { group: ['**/llm/local-model/local-model-server'], allowImportNames: localModelStart, message: localModelMessage },
];
// Its tests import it by relative path: the same rule, spelled relative.
const localModelFromItsTests = [
  { group: ['./*', '!./local-model-server'], message: localModelMessage },
  { group: ['./local-model-server'], allowImportNames: localModelStart, message: localModelMessage },
];

const ownerZone = ['bench/**', 'server/db/**', 'server/launcher/**', 'server/main.ts', 'server/worker.ts', 'server/demo/**', 'server/testing/**', '**/*.test.ts'];
const edgeZone = ['server/trpc/**', 'server/tenancy/auth-options.ts', 'server/tenancy/session-user.ts'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.next/**',
      'server/db/generated/**',
      '.data/**',
      '.test-data/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through env() in server/env.ts.' },
        { property: '$queryRawUnsafe', message: 'Use tagged $queryRaw so values are parameters.' },
        { property: '$executeRawUnsafe', message: 'Use tagged $executeRaw so values are parameters.' },
      ],
    },
  },
  {
    files: ['server/env.ts', '*.config.{js,ts,mjs}', 'server/testing/run-all-suites.ts', 'e2e/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  // Everything outside the owner zone: no owner connection, no raw client.
  {
    files: ['**/*.{ts,tsx}'],
    ignores: ownerZone,
    rules: { 'no-restricted-imports': ['error', { patterns: [ownerPool, rawPrisma, ...localModel] }] },
  },
  // Domain folders additionally stay framework-free.
  {
    files: ['server/**/*.ts'],
    ignores: [...ownerZone, ...edgeZone],
    rules: { 'no-restricted-imports': ['error', { patterns: [ownerPool, rawPrisma, ...frameworks, ...localModel] }] },
  },
  // The owner zone (launcher, benchmarks, tests) may start the local model, nothing more.
  {
    files: ownerZone,
    rules: { 'no-restricted-imports': ['error', { patterns: localModel }] },
  },
  {
    files: ['server/llm/local-model/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...localModel, ...localModelFromItsTests] }] },
  },
);
