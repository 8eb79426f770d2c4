// The response cache settings of an agent version in the editor: on/off, how long an
// answer is served again (TTL), and the semantic similarity threshold (empty: exact
// matches only). parseCacheSettings() checks the text fields before submitting.
import { TextField } from '../ui/text-field';

export type CacheSettingsValue = { cacheEnabled: boolean; cacheTtlSeconds: number; cacheSimilarityThreshold: number | null };
export type CacheSettingsErrors = Partial<Record<'cacheTtlSeconds' | 'cacheSimilarityThreshold', string>>;

export const CACHE_FIELDS = ['cacheEnabled', 'cacheTtlSeconds', 'cacheSimilarityThreshold'];

const MAX_TTL_SECONDS = 2_592_000;

/** The settings from the form, or the field errors that stop the submission. */
export function parseCacheSettings(form: FormData): { value?: CacheSettingsValue; errors: CacheSettingsErrors } {
  const errors: CacheSettingsErrors = {};
  const ttlText = String(form.get('cacheTtlSeconds') ?? '').trim();
  const ttl = Number(ttlText);
  if (ttlText === '' || !Number.isInteger(ttl) || ttl < 10 || ttl > MAX_TTL_SECONDS) {
    errors.cacheTtlSeconds = 'Use a whole number of seconds from 10 to 2592000 (30 days)';
  }
  const thresholdText = String(form.get('cacheSimilarityThreshold') ?? '').trim();
  const threshold = thresholdText === '' ? null : Number(thresholdText);
  if (threshold !== null && !(Number.isFinite(threshold) && threshold >= 0 && threshold <= 1)) {
    errors.cacheSimilarityThreshold = 'Use a number from 0 to 1, or leave it empty for exact matches only';
  }
  if (Object.keys(errors).length) return { errors };
  return { value: { cacheEnabled: form.get('cacheEnabled') === 'on', cacheTtlSeconds: ttl, cacheSimilarityThreshold: threshold }, errors };
}

export function CacheSettingsFields({ initial, errors }: { initial: CacheSettingsValue; errors: CacheSettingsErrors & { server?: (field: string) => string | undefined } }) {
  return (
    <fieldset>
      <legend className="mb-1 text-sm font-medium text-slate-700">Response cache</legend>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" name="cacheEnabled" defaultChecked={initial.cacheEnabled} />
        Serve repeated questions from the cache, at no cost
      </label>
      <p className="mt-1 text-xs text-slate-500">
        Only final answers of a run&apos;s first model call are cached, per version, model, retrieved knowledge and end user. A change to a knowledge base the
        agent reads clears its cached answers.
      </p>
      <div className="mt-2 grid gap-4 sm:grid-cols-2">
        <TextField
          label="Keep answers for (seconds)"
          name="cacheTtlSeconds"
          type="number"
          min={10}
          max={MAX_TTL_SECONDS}
          defaultValue={initial.cacheTtlSeconds}
          error={errors.cacheTtlSeconds ?? errors.server?.('cacheTtlSeconds')}
        />
        <TextField
          label="Semantic similarity threshold (0–1)"
          name="cacheSimilarityThreshold"
          inputMode="decimal"
          defaultValue={initial.cacheSimilarityThreshold ?? ''}
          placeholder="Off: exact matches only"
          hint="Also serve a question whose embedding is at least this similar (cosine), e.g. 0.92."
          error={errors.cacheSimilarityThreshold ?? errors.server?.('cacheSimilarityThreshold')}
        />
      </div>
    </fieldset>
  );
}
