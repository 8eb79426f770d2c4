// Policy screening for streamed model output. The screen holds back the last
// HOLD_BACK_CHARS of text (and never cuts inside a detection), so a value split
// across deltas is seen whole before any of it is passed on; once the text is
// refused, nothing more is passed on. The restorer turns placeholders back into
// values for the end user, holding back a trailing "[..." until it is complete.
import { PolicyViolation } from '../domain-errors';
import type { PolicyGuard } from './policy-guard';

/** Longer than any value the detector finds in one piece (an IBAN with spaces is 42). */
export const HOLD_BACK_CHARS = 96;
const LONGEST_PLACEHOLDER = 16;

export type TextSink = (text: string) => void;

export type DeltaFilter = { push(delta: string): void; close(): void };

/** Screens streamed output text with the guard (redaction, blocks, content rules) before the sink sees it. */
export function screenedStream(guard: PolicyGuard, sink: TextSink): DeltaFilter {
  if (!guard.screensText) return { push: sink, close: () => {} };
  let pending = '';
  let refused = false;
  const emit = (text: string) => {
    if (!text) return;
    const screened = guard.inspect(text, 'output', 'model output').text;
    if (screened) sink(screened);
  };
  const guarded = (work: () => void) => {
    if (refused) return;
    try {
      work();
    } catch (error) {
      // The final screen of the whole answer raises the refusal for the run; the stream just stops.
      if (error instanceof PolicyViolation) refused = true;
      else throw error;
    }
  };
  return {
    push(delta) {
      guarded(() => {
        pending += delta;
        if (pending.length < 2 * HOLD_BACK_CHARS) return;
        const cut = safeCut(guard, pending);
        if (cut <= 0) return;
        emit(pending.slice(0, cut));
        pending = pending.slice(cut);
      });
    },
    close() {
      guarded(() => emit(pending));
      pending = '';
    },
  };
}

/** The last whitespace at least HOLD_BACK_CHARS from the end that is not inside a detection or a refused span. */
function safeCut(guard: PolicyGuard, text: string): number {
  const screening = guard.inspect(text, 'output', 'model output');
  for (let at = text.length - HOLD_BACK_CHARS; at > 0; at--) {
    if (!/\s/.test(text[at]!)) continue;
    if (screening.detections.some((d) => d.start < at && at < d.end)) continue;
    return at;
  }
  return 0;
}

/** Restores placeholders (reversible redaction) in streamed text on its way to the end user. */
export function restoredStream(guard: PolicyGuard, sink: TextSink): DeltaFilter {
  if (!guard.reversible) return { push: sink, close: () => {} };
  let pending = '';
  return {
    push(delta) {
      pending += delta;
      const open = pending.lastIndexOf('[');
      const hold = open >= 0 && !pending.includes(']', open) && pending.length - open < LONGEST_PLACEHOLDER ? open : pending.length;
      const ready = pending.slice(0, hold);
      pending = pending.slice(hold);
      if (ready) sink(guard.restore(ready));
    },
    close() {
      if (pending) sink(guard.restore(pending));
      pending = '';
    },
  };
}
