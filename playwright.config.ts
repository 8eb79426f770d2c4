// End-to-end journeys in Chromium (Debian's, or the one the project ships; see
// e2e/support/chromium-path.ts) against the real app on a fresh embedded
// database (under .test-data/e2e, wiped before every run). E2E_PORT moves the app
// off 3100 when another copy of the suite is running on this machine.
import { defineConfig } from '@playwright/test';
import { chromiumPath } from './e2e/support/chromium-path';

const PORT = Number(process.env.E2E_PORT ?? 3100);
const DATA_DIR = `.test-data/e2e-${PORT}`;

export default defineConfig({
  testDir: './e2e',
  // Journeys run axe on every page they reach; on a shared two-core machine that takes its time.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `rm -rf ${DATA_DIR} && tsx server/main.ts`,
    url: `http://localhost:${PORT}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      ENCLAVE_DATA_DIR: DATA_DIR,
      PORT: String(PORT),
      // A free port: several copies of the suite (or a running npm start) can share the machine.
      LOCAL_MODEL_PORT: '0',
      APP_URL: `http://localhost:${PORT}`,
      LOG_LEVEL: 'warn',
      // Every journey signs up from the same loopback address; the limit itself is unit-tested.
      ENCLAVE_SIGN_UP_LIMIT: '1000',
      NEXT_TELEMETRY_DISABLED: '1',
    },
  },
});
