// `npm test`: typecheck, lint, unit + integration (vitest, real embedded
// Postgres) and end-to-end (Playwright in Chromium), in that order. Prints each
// suite's counts and a last line "N passed, M failed"; exits non-zero if
// anything failed or nothing ran.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

type Outcome = { suite: string; passed: number; failed: number };

const root = process.cwd();
const reports = path.join(root, '.test-data', 'reports');
mkdirSync(reports, { recursive: true });
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

function run(command: string, args: string[], extraEnv: Record<string, string> = {}): number {
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...extraEnv },
  });
  return result.status ?? 1;
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** A check that either passes or fails as a whole (typecheck, lint). */
function check(suite: string, command: string, args: string[]): Outcome {
  const ok = run(command, args) === 0;
  return { suite, passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
}

function vitest(): Outcome {
  const file = path.join(reports, 'vitest.json');
  rmSync(file, { force: true });
  const code = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile=${file}`]);
  const report = readJson<{ numPassedTests: number; numFailedTests: number }>(file);
  if (!report) return { suite: 'unit + integration', passed: 0, failed: 1 };
  // A crash outside any test (e.g. a failing hook) still counts as a failure.
  const failed = report.numFailedTests + (code !== 0 && report.numFailedTests === 0 ? 1 : 0);
  return { suite: 'unit + integration', passed: report.numPassedTests, failed };
}

function playwright(): Outcome {
  const file = path.join(reports, 'playwright.json');
  rmSync(file, { force: true });
  const code = run(bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: file });
  const report = readJson<{ stats: { expected: number; unexpected: number; flaky: number } }>(file);
  if (!report) return { suite: 'end-to-end', passed: 0, failed: 1 };
  const failed = report.stats.unexpected + report.stats.flaky + (code !== 0 && report.stats.unexpected === 0 ? 1 : 0);
  return { suite: 'end-to-end', passed: report.stats.expected, failed };
}

if (!existsSync(path.join(root, 'server', 'db', 'generated', 'client.ts'))) {
  run(bin('prisma'), ['generate'], { PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, 'package.json') });
}

const outcomes: Outcome[] = [
  check('typecheck', bin('tsc'), ['--noEmit']),
  check('lint', bin('eslint'), ['--max-warnings', '0', '.']),
  vitest(),
  playwright(),
];

console.log('\nSuite results:');
for (const o of outcomes) console.log(`  ${o.suite.padEnd(20)} ${o.passed} passed, ${o.failed} failed`);
const passed = outcomes.reduce((n, o) => n + o.passed, 0);
const failed = outcomes.reduce((n, o) => n + o.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
