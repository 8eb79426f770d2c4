// Sandbox escapes stopped: no network, filesystem, modules or host objects; an
// infinite loop and a memory bomb hit their limits; nothing leaks between calls.
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidInput, LimitExceeded } from '../../domain-errors';
import { createQuickJsSandbox, type SandboxRun } from './javascript-sandbox';

const sandbox = createQuickJsSandbox();
afterAll(() => sandbox.close());

async function run(code: string): Promise<SandboxRun> {
  return sandbox.run(code);
}

function resultOf(outcome: SandboxRun): unknown {
  if (!outcome.ok) throw new Error(`expected success, got ${outcome.error}`);
  return outcome.result;
}

describe('javascript sandbox', () => {
  it('returns the last expression as JSON and the console output', async () => {
    const outcome = await run(`
      const items = [3, 1, 2].sort();
      console.log('sorted', items, { n: items.length });
      console.error('careful');
      ({ items, total: items.reduce((a, b) => a + b, 0), when: new Date(0).toISOString() })
    `);
    expect(outcome).toEqual({
      ok: true,
      result: { items: [1, 2, 3], total: 6, when: '1970-01-01T00:00:00.000Z' },
      logs: ['sorted [1,2,3] {"n":3}', 'error: careful'],
      droppedLogLines: 0,
    });
  });

  it('awaits a promise that settles without I/O, and reports one that never does', async () => {
    expect(resultOf(await run('(async () => { const x = await Promise.resolve(20); return x + 1; })()'))).toBe(21);
    const pending = await run('new Promise(() => {})');
    expect(pending.ok).toBe(false);
    expect(!pending.ok && pending.error).toContain('never settled');
    const rejected = await run('Promise.reject(new TypeError("nope"))');
    expect(!rejected.ok && rejected.error).toBe('TypeError: nope');
  });

  it('returns thrown errors to the caller instead of failing', async () => {
    const outcome = await run('console.log("before"); undefinedVariable + 1');
    expect(outcome).toMatchObject({ ok: false, error: "ReferenceError: 'undefinedVariable' is not defined", logs: ['before'] });
    const syntax = await run('function (');
    expect(!syntax.ok && syntax.error).toMatch(/^SyntaxError/);
    const thrownString = await run('throw "plain"');
    expect(!thrownString.ok && thrownString.error).toBe('Uncaught plain');
  });

  it.each([
    ['fetch', 'typeof fetch'],
    ['XMLHttpRequest', 'typeof XMLHttpRequest'],
    ['WebSocket', 'typeof WebSocket'],
    ['require', 'typeof require'],
    ['process', 'typeof process'],
    ['Deno / Bun', 'typeof Deno + typeof Bun'],
    ['std / os modules', 'typeof std + typeof os + typeof scriptArgs'],
    ['setTimeout', 'typeof setTimeout'],
  ])('has no %s', async (_name, code) => {
    expect(resultOf(await run(code))).toMatch(/^(undefined)+$/);
  });

  it('cannot load modules or reach the network and filesystem through import()', async () => {
    for (const specifier of ['fs', 'node:fs', 'os', 'std', 'http://127.0.0.1/x.js', 'file:///etc/passwd']) {
      const outcome = await run(`import(${JSON.stringify(specifier)})`);
      expect(outcome.ok, specifier).toBe(false);
    }
    const staticImport = await run('import fs from "fs"; fs');
    expect(staticImport.ok).toBe(false);
    const required = await run('require("fs").readFileSync("/etc/passwd", "utf8")');
    expect(!required.ok && required.error).toContain('ReferenceError');
    const fetched = await run('fetch("http://169.254.169.254/")');
    expect(!fetched.ok && fetched.error).toContain('ReferenceError');
  });

  it('exposes nothing of the host through constructor tricks', async () => {
    const global = await run(`
      const g = (function () {}).constructor.constructor('return this')();
      const names = Object.getOwnPropertyNames(g).filter((n) => !/^[A-Z]/.test(n)).sort();
      ({ same: g === globalThis, names, hasProcess: 'process' in g })
    `);
    const result = resultOf(global) as { same: boolean; names: string[]; hasProcess: boolean };
    expect(result.same).toBe(true);
    expect(result.hasProcess).toBe(false);
    // Only ECMAScript built-ins (lower-case ones listed) and our console.
    expect(result.names.filter((n) => !['console', 'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'eval', 'globalThis', 'isFinite', 'isNaN', 'parseFloat', 'parseInt', 'undefined', 'unescape', 'queueMicrotask'].includes(n))).toEqual([]);
    const viaError = await run(`(() => { try { null.x } catch (e) { return e.constructor.constructor('return typeof process')() } })()`);
    expect(resultOf(viaError)).toBe('undefined');
  });

  it('stops an infinite loop at the time limit and stays usable afterwards', async () => {
    const started = Date.now();
    await expect(run('while (true) {}')).rejects.toThrow(new LimitExceeded('The code ran longer than the 1000 ms limit.'));
    expect(Date.now() - started).toBeLessThan(8000);
    await expect(run('for (;;) { try { while (true) {} } catch (e) {} }')).rejects.toBeInstanceOf(LimitExceeded);
    await expect(sandbox.run('(async () => { for (;;) await null; })()', { timeoutMs: 200 })).rejects.toBeInstanceOf(LimitExceeded);
    expect(resultOf(await run('1 + 1'))).toBe(2);
  });

  it('stops a memory bomb at the memory limit', async () => {
    // A generous clock, so that the memory limit is what stops these on a busy machine.
    const patient = { timeoutMs: 60_000 };
    await expect(sandbox.run('let a = [1]; while (true) a = a.concat(a);', patient)).rejects.toThrow(
      'The code used more than the 32 MB memory limit.',
    );
    await expect(sandbox.run('const m = new Map(); let i = 0; while (true) m.set(i, [i++, i, i, i]);', { ...patient, memoryBytes: 4 * 1024 * 1024 })).rejects.toThrow(
      'The code used more than the 4 MB memory limit.',
    );
    await expect(run('"x".repeat(1e8).length')).rejects.toThrow(/memory limit/);
    await expect(run('new ArrayBuffer(1e9).byteLength')).rejects.toThrow(/memory limit/);
    expect(resultOf(await run('[1, 2].length'))).toBe(2);
  });

  it('ends code stuck in long native calls by terminating the thread', async () => {
    // Each fill of a sparse array is one long native call that never checks the deadline.
    const started = Date.now();
    await expect(run('const a = []; while (true) a.push(new Array(100000).fill(1.5));')).rejects.toBeInstanceOf(LimitExceeded);
    // 1 s limit + 0.5 s grace, with room for a loaded machine; unchecked it runs for tens of seconds.
    expect(Date.now() - started).toBeLessThan(8000);
    expect(resultOf(await run('"still here"'))).toBe('still here');
  });

  it('keeps the event loop free while code spins', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 50);
    await expect(run('while (true) {}')).rejects.toBeInstanceOf(LimitExceeded);
    clearInterval(timer);
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it('turns deep recursion into an error, not a crash', async () => {
    const outcome = await run('const f = (n) => f(n + 1) + 1; f(0)');
    expect(!outcome.ok && outcome.error).toBe('InternalError: stack overflow');
    const viaNative = await run('const g = (n) => [1].map(() => g(n + 1))[0]; g(0)');
    expect(!viaNative.ok && viaNative.error).toBe('InternalError: stack overflow');
    expect(resultOf(await run('6 * 7'))).toBe(42);
  });

  it('keeps nothing between calls: globals, prototypes and built-ins start fresh', async () => {
    const first = await run(`
      globalThis.leaked = 'secret of workspace A';
      Object.prototype.polluted = 'yes';
      Array.prototype.map = () => 'hijacked';
      JSON.stringify = () => '"hijacked"';
      var counter = 41;
      'done'
    `);
    expect(first.ok).toBe(true);
    const second = await run(`({
      leaked: typeof leaked,
      polluted: ({}).polluted === undefined,
      map: [1, 2].map((x) => x * 2),
      counter: typeof counter,
    })`);
    expect(resultOf(second)).toEqual({ leaked: 'undefined', polluted: true, map: [2, 4], counter: 'undefined' });
  });

  it('caps the result and the console output', async () => {
    await expect(run('"x".repeat(200000)')).rejects.toThrow(/result is larger/);
    const chatty = await sandbox.run('for (let i = 0; i < 20000; i++) console.log("line of output " + i); "ok"', { timeoutMs: 20_000 });
    expect(chatty.ok && chatty.result).toBe('ok');
    expect(chatty.droppedLogLines).toBeGreaterThan(0);
    expect(chatty.logs.join('\n').length).toBeLessThanOrEqual(64 * 1024 + chatty.logs.length);
  });

  it('refuses oversized code and reports values JSON cannot hold', async () => {
    await expect(run(`1;${' '.repeat(200 * 1024)}`)).rejects.toBeInstanceOf(InvalidInput);
    expect(resultOf(await run('undefined'))).toBeNull();
    const big = await run('10n ** 30n');
    expect(!big.ok && big.error).toMatch(/could not be turned into JSON/);
  });

  it('serves concurrent calls from separate runtimes', async () => {
    const outcomes = await Promise.all(Array.from({ length: 5 }, (_, i) => run(`globalThis.n = ${i}; n * 10`)));
    expect(outcomes.map(resultOf)).toEqual([0, 10, 20, 30, 40]);
  });
});
