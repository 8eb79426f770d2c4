// Runs untrusted JavaScript in QuickJS (WASM) inside worker threads, off the event
// loop: a fresh QuickJS runtime per call (nothing survives between calls or workspaces),
// only ECMAScript built-ins (no network, filesystem, modules or host objects), memory,
// stack and time limits, and a hard stop that terminates a worker which overruns.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InvalidInput, LimitExceeded } from '../../domain-errors';

export type SandboxLimits = {
  /** Wall-clock budget for evaluation, pending promise jobs and serialising the result. */
  timeoutMs: number;
  memoryBytes: number;
  stackBytes: number;
  /** Cap on the JSON result and, separately, on captured console output. */
  maxOutputBytes: number;
};

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  timeoutMs: 1000,
  memoryBytes: 32 * 1024 * 1024,
  stackBytes: 512 * 1024,
  maxOutputBytes: 64 * 1024,
};

export const MAX_CODE_BYTES = 100 * 1024;

export type SandboxRun =
  /** `result` is the value of the last expression (or what its promise resolved to), JSON round-tripped. */
  | { ok: true; result: unknown; logs: string[]; droppedLogLines: number }
  /** The code threw (or its promise rejected): the model sees the error and can fix the code. */
  | { ok: false; error: string; logs: string[]; droppedLogLines: number };

export interface JavaScriptSandbox {
  /** Throws LimitExceeded when the time, memory or result-size limit is hit. */
  run(code: string, limits?: Partial<SandboxLimits>): Promise<SandboxRun>;
  /** Stops the worker threads (tests, shutdown). */
  close(): Promise<void>;
}

type Reply = { id: number; started?: boolean; outcome?: SandboxRun; limit?: string; recycle?: boolean; crash?: string };
type Job = { code: string; limits: SandboxLimits; resolve: (run: SandboxRun) => void; reject: (error: Error) => void };
type Slot = { worker: Worker; busy: boolean };

/** Extra time the worker gets past the interrupt deadline before it is terminated. */
const HARD_STOP_GRACE_MS = 500;
/** A new thread first compiles the WASM module; the code's clock starts when it reports in. */
const WORKER_START_LIMIT_MS = 30_000;
// QuickJS recursion runs on the worker's native stack: give it ample room over stackBytes.
const WORKER_STACK_MB = 8;

function workerFile(): string {
  const beside = fileURLToPath(new URL('./quickjs-worker.mjs', import.meta.url));
  return existsSync(beside) ? beside : path.join(process.cwd(), 'server', 'agents', 'tools', 'quickjs-worker.mjs');
}

/** A pool of up to `maxWorkers` sandbox threads; calls beyond that wait their turn. */
export function createQuickJsSandbox(options: { maxWorkers?: number } = {}): JavaScriptSandbox {
  const maxWorkers = options.maxWorkers ?? 2;
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;

  const spawn = (): Slot => {
    const worker = new Worker(workerFile(), { resourceLimits: { stackSizeMb: WORKER_STACK_MB, maxOldGenerationSizeMb: 128 } });
    worker.unref();
    const slot = { worker, busy: false };
    slots.push(slot);
    return slot;
  };
  const retire = (slot: Slot) => {
    slots.splice(slots.indexOf(slot), 1);
    void slot.worker.terminate();
  };

  const pump = () => {
    while (queue.length > 0) {
      const slot = slots.find((s) => !s.busy) ?? (slots.length < maxWorkers ? spawn() : null);
      if (!slot) return;
      dispatch(slot, queue.shift()!);
    }
  };

  const dispatch = (slot: Slot, job: Job) => {
    slot.busy = true;
    const id = nextId++;
    let settled = false;
    const finish = (retireWorker: boolean, settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(hardStop);
      slot.worker.off('message', onMessage);
      slot.worker.off('error', onError);
      slot.worker.off('exit', onError);
      if (retireWorker) retire(slot);
      else slot.busy = false;
      settle();
      pump();
    };
    const onMessage = (reply: Reply) => {
      if (reply.id !== id) return;
      if (reply.started) {
        // The interrupt handler cannot fire inside one long native call (a huge fill or
        // sort): past the deadline the thread itself is terminated.
        clearTimeout(hardStop);
        hardStop = setTimeout(tooSlow, job.limits.timeoutMs + HARD_STOP_GRACE_MS);
        return;
      }
      if (reply.outcome) return finish(false, () => job.resolve(reply.outcome!));
      if (reply.limit) return finish(reply.recycle === true, () => job.reject(new LimitExceeded(reply.limit!)));
      finish(true, () => job.reject(new LimitExceeded('The code stopped the sandbox (too deep or too large) and was ended.')));
    };
    const onError = () => finish(true, () => job.reject(new LimitExceeded('The code stopped the sandbox (too deep or too large) and was ended.')));
    const tooSlow = () =>
      finish(true, () => job.reject(new LimitExceeded(`The code ran longer than the ${job.limits.timeoutMs} ms limit.`)));
    let hardStop = setTimeout(
      () => finish(true, () => job.reject(new LimitExceeded('The sandbox did not start in time; try again.'))),
      WORKER_START_LIMIT_MS,
    );
    slot.worker.on('message', onMessage);
    slot.worker.once('error', onError);
    slot.worker.once('exit', onError);
    slot.worker.postMessage({ id, code: job.code, limits: job.limits });
  };

  return {
    run(code, overrides) {
      const limits = { ...DEFAULT_SANDBOX_LIMITS, ...overrides };
      if (Buffer.byteLength(code) > MAX_CODE_BYTES) {
        return Promise.reject(new InvalidInput(`The code is larger than ${MAX_CODE_BYTES} bytes.`, 'code'));
      }
      return new Promise<SandboxRun>((resolve, reject) => {
        queue.push({ code, limits, resolve, reject });
        pump();
      });
    },
    async close() {
      await Promise.all(slots.splice(0).map((slot) => slot.worker.terminate()));
    },
  };
}
