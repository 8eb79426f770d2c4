import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'components/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // A fixed vault master key for tests only (never used outside them).
    env: { LOG_LEVEL: 'silent', NODE_ENV: 'test', ENCLAVE_MASTER_KEY: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' },
  },
});
