// Worker thread that evaluates untrusted JavaScript in QuickJS (WASM). Each request
// gets a fresh QuickJS runtime and context with only ECMAScript built-ins, a memory
// limit, a stack limit and an interrupt deadline. Plain JavaScript so that it loads
// under any launcher; javascript-sandbox.ts owns the pool and the hard time limit.
/* global TextEncoder */
import { parentPort } from 'node:worker_threads';
import { newQuickJSWASMModuleFromVariant } from 'quickjs-emscripten-core';
import variant from '@jitl/quickjs-wasmfile-release-sync';

// Captures console output inside the guest and keeps the original JSON.stringify,
// so nothing on the host is exposed and user code cannot redirect either.
const prelude = (maxOutputBytes) => `(() => {
  const stringify = JSON.stringify;
  const lines = [];
  let size = 0;
  let dropped = 0;
  const show = (value) => {
    if (typeof value === 'string') return value;
    try {
      const text = stringify(value);
      return text === undefined ? String(value) : text;
    } catch (e) {
      return String(value);
    }
  };
  const writer = (prefix) => function () {
    let line = prefix;
    for (let i = 0; i < arguments.length; i++) line += (i ? ' ' : '') + show(arguments[i]);
    if (size + line.length > ${Number(maxOutputBytes)}) { dropped++; return; }
    size += line.length;
    lines[lines.length] = line;
  };
  const console = Object.freeze({ log: writer(''), info: writer(''), debug: writer(''), warn: writer('warn: '), error: writer('error: ') });
  Object.defineProperty(globalThis, 'console', { value: console, writable: false, configurable: false, enumerable: false });
  return Object.freeze({
    output: () => stringify({ lines, dropped }),
    serialise: (value) => {
      const text = stringify(value);
      return text === undefined ? 'null' : text;
    },
  });
})()`;

class Limit extends Error {
  constructor(message, recycle = false) {
    super(message);
    // After running out of memory QuickJS may be left unsound: the pool replaces the thread.
    this.recycle = recycle;
  }
}

function describeError(vm, handle) {
  const dumped = vm.dump(handle);
  if (dumped && typeof dumped === 'object' && 'message' in dumped) {
    return `${typeof dumped.name === 'string' ? dumped.name : 'Error'}: ${String(dumped.message)}`;
  }
  return `Uncaught ${typeof dumped === 'string' ? dumped : (JSON.stringify(dumped) ?? String(dumped))}`;
}

/** Runs the code as a script; a promise as the last value is settled by running pending jobs. */
function evaluate(vm, code, keep) {
  const evaluated = vm.evalCode(code, 'code.js');
  if (evaluated.error) return { ok: false, error: keep(evaluated.error) };
  const value = keep(evaluated.value);
  const state = vm.getPromiseState(value);
  if (state.type === 'fulfilled') return { ok: true, value: state.notAPromise ? value : keep(state.value) };
  if (state.type === 'rejected') return { ok: false, error: keep(state.error) };
  const jobs = vm.runtime.executePendingJobs();
  if (jobs.error) return { ok: false, error: keep(jobs.error) };
  const settled = vm.getPromiseState(value);
  if (settled.type === 'pending') {
    return { ok: false, error: keep(vm.newError('The promise never settled (the sandbox has no timers or I/O).')) };
  }
  if (settled.type === 'rejected') return { ok: false, error: keep(settled.error) };
  return { ok: true, value: keep(settled.value) };
}

function run(module, code, limits) {
  const runtime = module.newRuntime();
  runtime.setMemoryLimit(limits.memoryBytes);
  runtime.setMaxStackSize(limits.stackBytes);
  let deadline = Date.now() + limits.timeoutMs;
  let timedOut = false;
  runtime.setInterruptHandler(() => {
    if (Date.now() <= deadline) return false;
    timedOut = true;
    return true;
  });
  const vm = runtime.newContext();
  const handles = [];
  const keep = (handle) => (handles.push(handle), handle);
  const tooSlow = () => new Limit(`The code ran longer than the ${limits.timeoutMs} ms limit.`);
  try {
    const tools = keep(vm.unwrapResult(vm.evalCode(prelude(limits.maxOutputBytes), 'prelude.js')));
    const outcome = evaluate(vm, code, keep);
    if (timedOut) throw tooSlow();
    // When even the error object cannot be allocated, QuickJS throws null.
    // (A script that itself throws null is reported the same way.)
    const outOfMemory = !outcome.ok && vm.typeof(outcome.error) !== 'string' && [null, undefined, ''].includes(vm.dump(outcome.error));
    const failure = outcome.ok || outOfMemory ? null : describeError(vm, outcome.error);
    if (outOfMemory || (failure && /out of memory/i.test(failure))) {
      throw new Limit(`The code used more than the ${Math.round(limits.memoryBytes / 1024 / 1024)} MB memory limit.`, true);
    }
    let result = null;
    let error = failure;
    if (outcome.ok) {
      const serialised = vm.callFunction(keep(vm.getProp(tools, 'serialise')), vm.undefined, outcome.value);
      if (timedOut) throw tooSlow();
      if (serialised.error) {
        error = `The result could not be turned into JSON: ${describeError(vm, keep(serialised.error))}`;
      } else {
        const text = vm.getString(keep(serialised.value));
        if (new TextEncoder().encode(text).byteLength > limits.maxOutputBytes) {
          throw new Limit(`The result is larger than the ${limits.maxOutputBytes}-byte limit.`);
        }
        result = JSON.parse(text);
      }
    }
    // Reading the captured output gets a short budget of its own.
    deadline = Date.now() + 100;
    const output = vm.callFunction(keep(vm.getProp(tools, 'output')), vm.undefined);
    let captured = { lines: [], dropped: 0 };
    if (output.error) keep(output.error);
    else captured = JSON.parse(vm.getString(keep(output.value)));
    const base = { logs: captured.lines, droppedLogLines: captured.dropped };
    return error === null ? { ok: true, result, ...base } : { ok: false, error, ...base };
  } finally {
    for (const handle of handles) if (handle.alive) handle.dispose();
    vm.dispose();
    runtime.dispose();
  }
}

const ready = newQuickJSWASMModuleFromVariant(variant);

parentPort.on('message', async ({ id, code, limits }) => {
  const module = await ready;
  parentPort.postMessage({ id, started: true });
  try {
    parentPort.postMessage({ id, outcome: run(module, code, limits) });
  } catch (error) {
    if (error instanceof Limit) parentPort.postMessage({ id, limit: error.message, recycle: error.recycle });
    // Anything else (a WASM trap, a host stack overflow) may leave the module broken:
    // report it and let the pool replace this worker.
    else parentPort.postMessage({ id, crash: String(error && error.message ? error.message : error) });
  }
});
