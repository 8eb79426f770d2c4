// Builds the Next.js app when there is no production build yet or sources are
// newer than it, so `npm start` on a fresh clone just works.
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const SOURCES = ['app', 'components', 'server', 'next.config.js', 'package-lock.json', 'postcss.config.mjs'];
const SKIP = new Set(['node_modules', 'generated', '.next']);

async function newestMtime(entry: string): Promise<number> {
  const info = await stat(entry).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const children = await readdir(entry);
  const times = await Promise.all(
    children.filter((c) => !SKIP.has(c) && !c.endsWith('.test.ts')).map((c) => newestMtime(path.join(entry, c))),
  );
  return Math.max(0, ...times);
}

export async function buildIsStale(root: string): Promise<boolean> {
  const built = await stat(path.join(root, '.next', 'BUILD_ID')).catch(() => null);
  if (!built) return true;
  const newest = Math.max(...(await Promise.all(SOURCES.map((s) => newestMtime(path.join(root, s))))));
  return newest > built.mtimeMs;
}

export function runNextBuild(root: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
      cwd: root,
      stdio: 'inherit',
      // The build inherits the environment as a whole; it reads no setting of ours.
      // eslint-disable-next-line no-restricted-properties
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`next build exited with ${code}`))));
    child.on('error', reject);
  });
}
