// Journey: trying an agent in the playground. An owner creates an agent that may
// run JavaScript, opens its playground, asks it to use the tool, and watches the
// run stream in: the status, the model call with tokens and cost, the tool call
// with its arguments and result, the final answer, and the run's trace waterfall
// beside it; then finds the run on the runs page with its filters, opens its
// detail, trace included, and sees its cost on the usage page. Then a slow
// model's answer grows in the playground token by token, in a polite live
// region, before the final answer replaces it.
import type { Page } from '@playwright/test';
import { expectAccessible } from './support/accessibility';
import { expect, test } from './support/test';
import { createCalculatorAgent, createWorkspace, signUp, type Person } from './journeys';

const stamp = Date.now();
/** The waterfall of a finished run with one tool call: the run, then model, tool, model under it. */
async function expectToolRunTrace(page: Page) {
  const waterfall = page.getByTestId('trace-waterfall');
  await expect(waterfall).toBeVisible();
  const spans = waterfall.getByTestId('trace-span');
  await expect(spans).toHaveCount(4, { timeout: 15_000 });
  await expect(spans.nth(0)).toHaveAttribute('data-kind', 'run');
  await expect(spans.nth(0)).toHaveAttribute('data-status', 'ok');
  await expect(spans.nth(0)).toContainText('invoke_agent Calculator');
  await expect(spans.nth(1)).toContainText('chat enclave-local-chat');
  await expect(spans.nth(1)).toContainText(/\d+ in · \d+ out/);
  await expect(spans.nth(1)).toContainText(/\$\d+\.\d{6}/);
  await expect(spans.nth(2)).toHaveAttribute('data-kind', 'tool');
  await expect(spans.nth(2)).toContainText('execute_tool run_javascript');
  await expect(spans.nth(3)).toHaveAttribute('data-kind', 'model');
  for (let i = 0; i < 4; i++) await expect(spans.nth(i)).toContainText(/\d+ (ms|s)/);
  await expect(waterfall.getByRole('columnheader', { name: /Timeline/ })).toBeVisible();
}

const owner: Person = { name: 'Pat Playground', email: `playground-owner-${stamp}@e2e.test`, password: 'owner-password-1' };

test('run an agent with a tool call in the playground and watch its steps stream in', async ({ page }) => {
  await signUp(page, owner);
  const workspacePath = await createWorkspace(page, `Playground ${stamp}`);

  await createCalculatorAgent(page, workspacePath);

  await page.getByRole('link', { name: 'Open playground' }).click();
  await page.waitForURL(/\/playground$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Calculator · playground' })).toBeVisible();
  await expect(page.getByText('Start a run to see its model and tool calls here.')).toBeVisible();
  await expect(page.getByText(/Start a run to see its trace here/)).toBeVisible();

  await page.getByLabel('Message').fill('use run_javascript with code 1+2');
  await page.getByRole('button', { name: 'Run' }).click();

  await expect(page.getByTestId('run-status')).toHaveText('Succeeded', { timeout: 30_000 });
  const steps = page.getByTestId('run-step');
  await expect(steps).toHaveCount(3);
  await expect(steps.nth(0)).toContainText('Model call');
  await expect(steps.nth(0)).toContainText('run_javascript({"code":"1+2"})');
  await expect(steps.nth(0)).toContainText(/\d+ in · \d+ out · \$\d+\.\d{6}/);
  await expect(steps.nth(1)).toContainText('Tool call · run_javascript');
  await expect(steps.nth(1).getByLabel('Result')).toContainText('3');
  await expect(page.getByTestId('run-answer')).toContainText('From run_javascript');
  // The trace beside the answer, filled in once the run is over.
  await expectToolRunTrace(page);
  await expectAccessible(page);

  // The run is listed on the runs page, filtered by status, and its detail shows the steps.
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Runs' }).click();
  await page.waitForURL('**/runs');
  await expect(page.getByRole('heading', { level: 1, name: 'Runs' })).toBeVisible();
  await page.getByLabel('Status').selectOption('failed');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL('**/runs?*status=failed*');
  // Scoped to the page's main region: Next.js can stream the next page's copy into a hidden element before swapping it in.
  await expect(page.getByRole('main').getByText('No runs match')).toBeVisible();
  await page.getByLabel('Status').selectOption('succeeded');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL('**/runs?*status=succeeded*');
  await page.getByRole('link', { name: 'Calculator · v1' }).click();
  await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Calculator · run' })).toBeVisible();
  await expect(page.getByTestId('run-step')).toHaveCount(3);
  await expect(page.getByText('From run_javascript').first()).toBeVisible();
  await expect(page.getByText(/Trace ID [0-9a-f]{32}/)).toBeVisible();
  await expectToolRunTrace(page);

  // Its two model calls are on the usage page, with their cost, under the agent's name.
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Usage' }).click();
  await page.waitForURL('**/usage');
  await expect(page.getByTestId('usage-totals')).toContainText('Calls2');
  const calculator = page.getByTestId('usage-by-agent').getByRole('row', { name: /Calculator/ });
  await expect(calculator.getByRole('cell').nth(1)).toHaveText('2');
  await expect(calculator.getByRole('cell').nth(3)).toHaveText(/^\$0\.0*[1-9]\d*$/);
});

test('watch the answer of a slow model stream in before the final answer', async ({ page }) => {
  const streamer: Person = { name: 'Sam Stream', email: `playground-stream-${stamp}@e2e.test`, password: 'owner-password-1' };
  await signUp(page, streamer);
  const workspacePath = await createWorkspace(page, `Streaming ${stamp}`);

  await page.goto(`${workspacePath}/agents/new`);
  await page.getByLabel('Name', { exact: true }).fill('Slow talker');
  await page.getByLabel('System prompt').fill(
    'The Orion launch is planned for 14 March from the northern launch site.\n' +
      'Orion launch crews train for nine months before each launch.\n' +
      'The Orion launch budget is 2.5 million EUR, shared by three crews.',
  );
  // The local model's paced variant: about 12 tokens a second.
  await page.getByLabel('Model').fill('enclave-local-chat-slow');
  await page.getByRole('button', { name: 'Create agent' }).click();
  await page.waitForURL(/\/agents\/[0-9a-f-]{36}$/);
  await page.getByRole('link', { name: 'Open playground' }).click();
  await page.waitForURL(/\/playground$/);

  await page.getByLabel('Message').fill('Tell me about the Orion launch and its crews');
  const eventsRequest = page.waitForRequest(/\/api\/runs\/[0-9a-f-]{36}\/events/);
  await page.getByRole('button', { name: 'Run' }).click();
  // Beside the playground, a second reader drops its connection after the first delta and reconnects with Last-Event-ID.
  const reconnected = page.evaluate(readWithReconnect, (await eventsRequest).url());

  // Part of the answer shows while the run is still running, inside the polite live region.
  const answer = page.getByRole('log', { name: 'Answer' });
  await expect(answer).toHaveAttribute('aria-live', 'polite');
  const streaming = answer.getByTestId('run-streaming');
  await expect(streaming).toContainText('From the instructions', { timeout: 30_000 });
  const partial = (await streaming.textContent()) ?? '';
  await expect(page.getByTestId('run-status')).toHaveText('Running');
  await expect(page.getByTestId('run-output')).toHaveCount(0);

  // Then the final answer replaces it: longer, and the streamed text was its beginning.
  await expect(page.getByTestId('run-status')).toHaveText('Succeeded', { timeout: 30_000 });
  await expect(streaming).toHaveCount(0);
  const final = (await answer.getByTestId('run-output').textContent()) ?? '';
  expect(final).toContain('Orion launch crews train for nine months');
  expect(partial.length).toBeGreaterThan(0);
  expect(partial.length).toBeLessThan(final.length);
  expect(final.startsWith(partial)).toBe(true);
  await expect(page.getByTestId('run-step')).toHaveCount(1);
  await expect(page.getByTestId('run-step').first()).toContainText('Model call · enclave-local-chat-slow');

  // The reconnected reader got the rest of the text once: no repeat, no gap.
  const resumed = await reconnected;
  expect(resumed.before.length).toBeGreaterThan(0);
  expect(resumed.after.length).toBeGreaterThan(0);
  expect(final.startsWith(resumed.before + resumed.after)).toBe(true);
  expect(resumed.end).toBe(true);
});

type SseEvent = { id?: string; event?: string; data?: string };

/** In the page: reads the run's events up to the first delta, disconnects, and reconnects after it. */
async function readWithReconnect(url: string): Promise<{ before: string; after: string; end: boolean }> {
  async function read(headers: Record<string, string>, stopAtFirstDelta: boolean): Promise<SseEvent[]> {
    const response = await fetch(url, { headers });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const events: SseEvent[] = [];
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return events;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const event: SseEvent = {};
        for (const line of buffer.slice(0, end).split('\n')) {
          const colon = line.indexOf(':');
          (event as Record<string, string>)[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
        }
        buffer = buffer.slice(end + 2);
        events.push(event);
        if (stopAtFirstDelta && event.event === 'delta') {
          await reader.cancel();
          return events;
        }
      }
    }
  }
  const text = (events: SseEvent[]) =>
    events.filter((e) => e.event === 'delta').map((e) => (JSON.parse(e.data!) as { text: string }).text).join('');
  const first = await read({}, true);
  const lastId = first.filter((e) => e.event === 'delta').at(-1)!.id!;
  const rest = await read({ 'Last-Event-ID': lastId }, false);
  return { before: text(first), after: text(rest), end: rest.some((e) => e.event === 'end') };
}
