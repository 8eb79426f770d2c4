// Every environment variable Enclave reads, parsed once with zod. Nothing else
// reads process.env; .env.example lists the same set.
import { z } from 'zod';

const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true');

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined));

/** 32 bytes as 64 hex digits or base64 (either alphabet), the vault's key format. */
const masterKeyText = z
  .string()
  .trim()
  .refine((v) => /^[0-9a-fA-F]{64}$/.test(v) || (/^[A-Za-z0-9+/_-]{43}=?$/.test(v) && Buffer.from(v, 'base64').length === 32), {
    message: 'must be 32 bytes, as 64 hex digits or base64',
  });

const KB_PER_UNIT = { kB: 1, MB: 1024, GB: 1024 * 1024 } as const;

/** A PostgreSQL memory setting such as 768MB (kB, MB or GB), at most 1GB: PGlite's WASM heap is 2 GB in all. */
const postgresMemory = z
  .string()
  .trim()
  .regex(/^[1-9][0-9]{0,6}(kB|MB|GB)$/, 'must be a size such as 128MB or 1GB (kB, MB or GB)')
  .refine((v) => {
    const unit = v.replace(/^[0-9]+/, '') as keyof typeof KB_PER_UNIT;
    return Number.parseInt(v, 10) * KB_PER_UNIT[unit] <= KB_PER_UNIT.GB;
  }, 'must be at most 1GB (the embedded database has a 2 GB heap in all)');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** PostgreSQL 15+ with pgvector. Unset: the embedded PGlite database is started. */
  DATABASE_URL: optionalText.pipe(z.url().optional()),
  /** Where the embedded database and generated local secrets live. */
  ENCLAVE_DATA_DIR: z.string().default('.data'),
  /**
   * A database connection that waits inside a transaction this long without
   * sending anything is closed and its transaction rolled back (the app's pool
   * asks PostgreSQL for the same; the embedded database's gate enforces it).
   */
  ENCLAVE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(86_400_000).default(15_000),
  /** HTTP port of the app. */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /**
   * How many reverse proxies in front of the app append to X-Forwarded-For;
   * 0 (default) uses the connecting address. Sign-in throttling keys on the result.
   */
  ENCLAVE_TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * Interface the app listens on. Unset: all interfaces, except while the demo
   * accounts (whose passwords are published) exist: then loopback only.
   */
  HOST: optionalText,
  /** Public base URL, used in invitation links. Defaults to http://localhost:$PORT. */
  APP_URL: optionalText.pipe(z.url().optional()),
  /** Signs session cookies. Unset: one is generated and kept in $ENCLAVE_DATA_DIR. */
  NEXTAUTH_SECRET: optionalText,
  /**
   * Wraps every workspace's data key in the secrets vault (AES-256-GCM): 32
   * bytes as hex or base64. Unset: one is generated and kept in
   * $ENCLAVE_DATA_DIR (embedded mode only; a warning is logged).
   */
  ENCLAVE_MASTER_KEY: optionalText.pipe(masterKeyText.optional()),
  /**
   * Earlier master keys, comma-separated, during a rotation: data keys they
   * wrapped still open, and are rewrapped under ENCLAVE_MASTER_KEY on first use.
   */
  ENCLAVE_MASTER_KEY_PREVIOUS: optionalText.pipe(
    z
      .string()
      .optional()
      .transform((v) => (v ? v.split(',').map((k) => k.trim()).filter(Boolean) : []))
      .pipe(z.array(masterKeyText)),
  ),
  /** This user is the operator (superadmin); unset, the first user to sign up is. */
  ENCLAVE_OPERATOR_EMAIL: optionalText.pipe(z.email().optional()),
  /** Seed the demo operator and workspaces even when the database is not empty. */
  ENCLAVE_DEMO: flag,
  /**
   * Sign-ups accepted per client address per hour (default 10). Sign-in and
   * password-reset limits are fixed (server/tenancy/login-throttle.ts).
   */
  ENCLAVE_SIGN_UP_LIMIT: z.coerce.number().int().min(1).max(100_000).default(10),
  /** smtp://user:pass@host:port — when set, invitations are also mailed. */
  SMTP_URL: optionalText,
  /** Sender address for mail. */
  SMTP_FROM: z.string().default('Enclave <no-reply@enclave.local>'),
  /**
   * Tests only: a PostgreSQL server (superuser URL) on which each test file gets
   * its own fresh database, created and dropped by the suite. Unset: embedded PGlite.
   */
  ENCLAVE_TEST_DATABASE_URL: optionalText.pipe(z.url().optional()),
  /** Port of the built-in local model (OpenAI-compatible); 0 picks a free one. */
  LOCAL_MODEL_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
  /** Interface the local model listens on (loopback unless you mean to share it). */
  LOCAL_MODEL_HOST: z.string().default('127.0.0.1'),
  /** Simulated time to first token of the local model, in milliseconds. */
  LOCAL_MODEL_TTFT_MS: z.coerce.number().min(0).max(600_000).default(0),
  /** Simulated output rate of the local model in tokens per second; 0 = instant. */
  LOCAL_MODEL_TOKENS_PER_SECOND: z.coerce.number().min(0).default(0),
  /** When set, the local model requires `Authorization: Bearer <this key>`. */
  LOCAL_MODEL_API_KEY: optionalText,
  /** Output cap (max_tokens) of every model call that sets none, agent runs included: budgets reserve, and approval rules compare, the prompt plus this many output tokens. */
  MODEL_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(1).max(1_000_000).default(4096),
  /** Agent runs executed at once by the worker inside the app; 0 leaves runs to `npm run worker` processes. */
  RUN_WORKERS_IN_APP: z.coerce.number().int().min(0).max(64).default(4),
  /** Agent runs executed at once by each `npm run worker` process. */
  RUN_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** How long a worker's claim on a run lasts without renewal; a dead worker's runs resume after it. */
  RUN_LEASE_MS: z.coerce.number().int().min(300).max(600_000).default(30_000),
  /** How often an idle worker looks for queued runs, in milliseconds. */
  RUN_POLL_MS: z.coerce.number().int().min(20).max(60_000).default(500),
  /** How long a model step's streamed text waits in memory before it is written for the run's event stream; 0 turns the live preview off. */
  RUN_STREAM_FLUSH_MS: z.coerce.number().int().min(0).max(10_000).default(100),
  /** How often each run worker process looks for pending approvals past their expiry (and fails their runs), in milliseconds. */
  APPROVAL_SWEEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
  /**
   * OTLP/HTTP collector base URL (e.g. http://localhost:4318): run traces are
   * posted to <this>/v1/traces as well as stored. Unset: no exporter is set up.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalText.pipe(z.url().optional()),
  /** service.name of the exported traces. */
  OTEL_SERVICE_NAME: z.string().trim().min(1).default('enclave'),
  /** Documents ingested at once by the worker inside the app (and by each `npm run worker` process); 0 leaves ingestion to worker processes. */
  INGEST_WORKERS_IN_APP: z.coerce.number().int().min(0).max(16).default(1),
  /** Chunks embedded per gateway call and written per transaction during ingestion. */
  INGEST_BATCH_SIZE: z.coerce.number().int().min(1).max(256).default(16),
  /**
   * shared_buffers of the embedded database (PGlite): it holds a 100,000-chunk
   * knowledge table and its indexes in cache, where HNSW and sequential scans run
   * about 3× faster than at the 128MB default. PGlite commits the whole pool at
   * start: the process takes about 1.25 GB at 768MB, 0.55 GB at 128MB (see README, Knowledge bases).
   */
  EMBEDDED_SHARED_BUFFERS: postgresMemory.default('768MB'),
  /** maintenance_work_mem of the embedded database: an HNSW build that fits in it is several times faster. */
  EMBEDDED_MAINTENANCE_WORK_MEM: postgresMemory.default('512MB'),
  /**
   * Knowledge search reads a workspace holding at most this many chunks by an exact
   * scan through its (workspace_id, knowledge_base_id) btree (full recall); above it,
   * through the workspace's own HNSW index, which the ingestion worker builds once
   * the workspace crosses this size (see README, Knowledge bases, for the measurements).
   */
  KNOWLEDGE_EXACT_SCAN_MAX_CHUNKS: z.coerce.number().int().min(0).default(20_000),
  /**
   * Tokens of a thread's earlier turns a run puts into the model context; older
   * turns are folded into a stored summary by the utility model (see README, Memory).
   */
  MEMORY_HISTORY_TOKEN_BUDGET: z.coerce.number().int().min(100).max(200_000).default(3_000),
  /** Memory items automatically recalled into the context of a memory-enabled run. */
  MEMORY_RECALL_LIMIT: z.coerce.number().int().min(0).max(50).default(5),
  /** Run the export and retention jobs inside the app process (1) or leave them to `npm run worker` processes (0). */
  DATA_JOBS_IN_APP: z.coerce.number().int().min(0).max(1).default(1),
  /** How often each workspace's retention sweep runs, in milliseconds (also the delay after a sweep before the next). */
  RETENTION_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(3_600_000),
  /** Rows of each kind (runs, traces, messages, memory) deleted per retention transaction. */
  RETENTION_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /** How long an export worker's claim lasts without progress before another worker may take the export over. */
  EXPORT_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(120_000),
  /** pino level: trace, debug, info, warn, error, fatal, silent. */
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`Invalid environment: ${issues}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/**
 * Values decided at run time rather than given by the environment: the
 * launcher's (embedded database URL, generated secret) and a test's set-up.
 */
export function setRuntimeEnv(values: Partial<Record<keyof Env, string>>) {
  for (const [key, value] of Object.entries(values)) process.env[key] = value;
  // next-auth reads NEXTAUTH_URL itself; keep it in step with APP_URL.
  if (values.APP_URL) process.env.NEXTAUTH_URL = values.APP_URL;
  cached = undefined;
}

export function appUrl(): string {
  const e = env();
  return e.APP_URL ?? `http://localhost:${e.PORT}`;
}
