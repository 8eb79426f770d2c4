// Every console page a workspace owner and the operator can reach, on a phone:
// each names the workspace in its title, nothing scrolls sideways, every control
// is at least 40 px tall, and axe finds nothing. A workspace URL in another case
// redirects to the canonical one; unknown agent, run and knowledge base ids
// answer a real 404. Uses the demo data (agents, runs, a knowledge base, budgets
// and governance in Acme). Failures name the page and what sticks out.
import type { Page } from '@playwright/test';
import { expectNotFound } from './journeys';
import { expectAccessible } from './support/accessibility';
import { expect, test } from './support/test';

test.use({ viewport: { width: 390, height: 844 } });

const alice = { email: 'alice@acme.test', password: 'alice-demo-1' };
const operator = { email: 'operator@enclave.local', password: 'operator-demo-1' };

const SECTIONS = ['', '/agents', '/agents/new', '/approvals', '/audit', '/budgets', '/data', '/knowledge', '/limits', '/members', '/memory', '/policies', '/prompts', '/providers', '/runs', '/secrets', '/settings', '/tools', '/usage'];

async function signInAs(page: Page, who: { email: string; password: string }) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

type Problems = { path: string; overflow: number; wide: string[]; small: string[]; axe?: string };

/** Sideways overflow of the page and the controls shorter than 40 px (inline links inside running text excepted). */
async function measure(page: Page): Promise<Problems> {
  const path = new URL(page.url()).pathname;
  return page.evaluate((path) => {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    // What sticks out: the innermost elements whose right edge passes the screen's (outside any sideways-scrolling box).
    const sticking = [...document.querySelectorAll<HTMLElement>('body *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.parentElement?.closest('.overflow-x-auto, .overflow-hidden, .sr-only'));
    const wide = sticking.filter((el) => !sticking.some((other) => other !== el && el.contains(other))).map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)} "${(el.textContent ?? '').trim().slice(0, 30)}"`);
    const controls = [...document.querySelectorAll<HTMLElement>('main a, main button, main select, main input, main textarea, main summary, header a, header button')];
    const small = controls
      .filter((el) => {
        const box = el.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) return false; // not rendered
        if (el.closest('.sr-only')) return false;
        if (el instanceof HTMLInputElement && ['checkbox', 'radio', 'hidden', 'file'].includes(el.type)) return false;
        // A link inside a sentence is exempt (WCAG 2.5.8 "inline"): its parent holds other text too.
        if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') {
          const parentText = el.parentElement?.textContent?.trim() ?? '';
          if (parentText.length > (el.textContent?.trim().length ?? 0) + 2) return false;
        }
        return box.height < 40;
      })
      .map((el) => `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}" ${Math.round(el.getBoundingClientRect().height)}px`);
    return { path, overflow, wide: overflow > 0 ? wide.slice(0, 5) : [], small };
  }, path);
}

async function visit(page: Page, path: string, problems: Problems[], title?: RegExp) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  if (title) await expect(page, path).toHaveTitle(title);
  let axe: string | undefined;
  await expectAccessible(page).catch((error: Error) => (axe = error.message));
  problems.push({ ...(await measure(page)), axe });
}

/** The first link on the current page whose path matches. */
async function firstHref(page: Page, pattern: RegExp): Promise<string> {
  const hrefs = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  const href = hrefs.find((h) => pattern.test(h));
  expect(href, `a link matching ${pattern}`).toBeTruthy();
  return href!;
}

test('every workspace and operator page fits a phone, names the workspace and passes axe; unknown ids are 404s', async ({ page }) => {
  test.setTimeout(240_000);
  await signInAs(page, alice);
  const problems: Problems[] = [];
  const named = / · Acme · Enclave$/;

  for (const section of SECTIONS) await visit(page, `/w/acme${section}`, problems, section === '' ? /^Acme · Enclave$/ : named);

  // Detail pages reached from their lists.
  await page.goto('/w/acme/agents');
  const agent = await firstHref(page, /^\/w\/acme\/agents\/[0-9a-f-]{36}$/);
  await visit(page, agent, problems, named);
  await visit(page, `${agent}/playground`, problems, /^Playground · .+ · Acme · Enclave$/);
  await page.goto('/w/acme/runs');
  const run = await firstHref(page, /^\/w\/acme\/runs\/[0-9a-f-]{36}$/);
  await visit(page, run, problems, /^Run of .+ · Acme · Enclave$/);
  await page.goto('/w/acme/knowledge');
  const base = await firstHref(page, /^\/w\/acme\/knowledge\/[0-9a-f-]{36}$/);
  await visit(page, base, problems, named);
  await visit(page, '/account', problems);

  // A workspace URL typed in another case lands on the canonical one.
  for (const section of ['/runs', '/knowledge', '/budgets']) {
    await page.goto(`/w/ACME${section}`);
    await expect(page).toHaveURL(new RegExp(`/w/acme${section}$`));
  }
  await page.goto(run.replace('/w/acme/', '/w/Acme/'));
  await expect(page).toHaveURL(new RegExp(`${run}$`));

  // Unknown or malformed ids: the not-found page with a 404 status, titled as the 404.
  const missing = '00000000-0000-4000-8000-000000000000';
  for (const path of [`/w/acme/agents/${missing}`, `/w/acme/agents/${missing}/playground`, `/w/acme/runs/${missing}`, '/w/acme/runs/not-a-run', `/w/acme/knowledge/${missing}`, '/w/acme/knowledge/nope']) {
    await expectNotFound(page, path);
  }

  // The operator's pages.
  await page.context().clearCookies();
  await signInAs(page, operator);
  for (const path of ['/admin/users', '/admin/workspaces', '/admin/deletions']) await visit(page, path, problems);

  expect(problems.filter((p) => p.axe).map((p) => p.axe)).toEqual([]);
  expect(problems.filter((p) => p.overflow > 0).map((p) => `${p.path}: ${p.overflow}px wider than the screen (${p.wide.join(', ')})`)).toEqual([]);
  expect(problems.filter((p) => p.small.length > 0).map((p) => `${p.path}: ${p.small.join(', ')}`)).toEqual([]);
});
