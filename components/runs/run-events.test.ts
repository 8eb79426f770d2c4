// How the playground adds up streamed deltas: appended within one stream, started
// over when the step is redone under a new stream, stale deltas ignored, and
// replaced by the step's content once the step is written.
import { describe, expect, it } from 'vitest';
import { withDelta, withStepWritten } from './run-events';

const modelStep = (stepIndex: number, content: string | null) => ({ stepIndex, kind: 'model' as const, content });

describe('streamed text in the browser', () => {
  it('appends deltas of the same step and stream in order', () => {
    let text = withDelta(null, { stepIndex: 0, streamId: 1, text: 'From the ' });
    text = withDelta(text, { stepIndex: 0, streamId: 1, text: 'instructions' });
    expect(text).toEqual({ stepIndex: 0, streamId: 1, text: 'From the instructions', written: false });
  });

  it('starts over for a new stream of the same step or a later step, and ignores older ones', () => {
    const old = { stepIndex: 2, streamId: 1, text: 'From the ins', written: false };
    expect(withDelta(old, { stepIndex: 2, streamId: 2, text: 'From' })).toEqual({ stepIndex: 2, streamId: 2, text: 'From', written: false });
    expect(withDelta(old, { stepIndex: 4, streamId: 1, text: 'Next' })).toEqual({ stepIndex: 4, streamId: 1, text: 'Next', written: false });
    const redone = { stepIndex: 2, streamId: 2, text: 'From', written: false };
    expect(withDelta(redone, { stepIndex: 2, streamId: 1, text: 'truction' })).toBe(redone);
    expect(withDelta(old, { stepIndex: 0, streamId: 1, text: 'stale' })).toBe(old);
  });

  it("replaces the streamed text with a written model step's content, which no late delta changes", () => {
    const streaming = { stepIndex: 2, streamId: 1, text: 'From', written: false };
    expect(withStepWritten(streaming, modelStep(1, 'earlier'))).toBe(streaming);
    const written = withStepWritten(streaming, modelStep(2, 'From the instructions.'));
    expect(written).toEqual({ stepIndex: 2, streamId: 1, text: 'From the instructions.', written: true });
    expect(withDelta(written, { stepIndex: 2, streamId: 1, text: ' the' })).toBe(written);
    expect(withDelta(written, { stepIndex: 4, streamId: 1, text: 'Next' })).toEqual({ stepIndex: 4, streamId: 1, text: 'Next', written: false });
  });

  it('ends the streamed text when the step written has no text to show (a tool call or a tool)', () => {
    const streaming = { stepIndex: 2, streamId: 1, text: 'From', written: false };
    expect(withStepWritten(streaming, modelStep(2, null))).toBeNull();
    expect(withStepWritten(streaming, { stepIndex: 3, kind: 'tool', content: null })).toBeNull();
    expect(withStepWritten(null, { stepIndex: 0, kind: 'tool', content: null })).toBeNull();
  });
});
