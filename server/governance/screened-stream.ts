// Policy screening for streamed model output. The screen passes text on word by
// word but holds back what could still grow into a value: the unfinished last
// word, trailing groups of digits or capitals (a phone, card or IBAN written with
// spaces), the length of a content rule that may span words; it never cuts inside
// a detection. Once the text is refused, nothing more is passed on. The restorer
// turns placeholders back into values for the end user, holding back a trailing
// "[..." until it is complete.
import { PolicyViolation } from '../domain-errors';
import type { PolicyGuard } from './policy-guard';

const LONGEST_PLACEHOLDER = 16;
/** Trailing groups that may be the start of a value written with spaces: "+1 415 ", "DE89 3704 ", "4111 1111 ". */
const OPEN_GROUPS = /(?:[+(]?[0-9A-Z][0-9A-Z()+.-]*[ ]){1,10}$/;

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

/** How much of the text can be passed on now (see the header). */
function safeCut(guard: PolicyGuard, text: string): number {
  const lastSpace = Math.max(text.lastIndexOf(' '), text.lastIndexOf('\n'), text.lastIndexOf('\t'));
  let cut = lastSpace + 1;
  const open = OPEN_GROUPS.exec(text.slice(0, cut));
  if (open) cut = open.index;
  cut = Math.min(cut, text.length - guard.ruleHoldBack);
  if (cut <= 0) return 0;
  for (const d of guard.inspect(text, 'output', 'model output').detections) {
    if (d.start < cut && cut < d.end) cut = d.start;
  }
  return cut;
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
