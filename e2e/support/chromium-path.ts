// Which Chromium the end-to-end suite drives: Debian's where it is installed,
// otherwise the one shipped inside the @sparticuz/chromium npm package
// (unpacked to the temp dir on first use), so `npm test` needs no system browser.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

// The package's API is async; Playwright reads its config synchronously, so ask a child process.
const UNPACK = "import c from '@sparticuz/chromium'; process.stdout.write(await c.executablePath());";

export function chromiumPath(): string {
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  return execFileSync(process.execPath, ['--input-type=module', '-e', UNPACK], { encoding: 'utf8' }).trim();
}
