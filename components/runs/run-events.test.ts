// How the playground adds up streamed deltas: appended within one stream, started
// over when the step is redone under a new stream, stale deltas ignored, and
// cleared once the step (or a later one) is written.
import { describe, expect, it } from 'vitest';
import { withDelta, withStepWritten } from './run-events';

describe('streamed text in the browser', () => {
  it('appends deltas of the same step and stream in order', () => {
    let text = withDelta(null, { stepIndex: 0, streamId: 1, text: 'From the ' });
    text = withDelta(text, { stepIndex: 0, streamId: 1, text: 'instructions' });
    expect(text).toEqual({ stepIndex: 0, streamId: 1, text: 'From the instructions' });
  });

  it('starts over for a new stream of the same step or a later step, and ignores older ones', () => {
    const old = { stepIndex: 2, streamId: 1, text: 'From the ins' };
    expect(withDelta(old, { stepIndex: 2, streamId: 2, text: 'From' })).toEqual({ stepIndex: 2, streamId: 2, text: 'From' });
    expect(withDelta(old, { stepIndex: 4, streamId: 1, text: 'Next' })).toEqual({ stepIndex: 4, streamId: 1, text: 'Next' });
    expect(withDelta({ stepIndex: 2, streamId: 2, text: 'From' }, { stepIndex: 2, streamId: 1, text: 'truction' })).toEqual({ stepIndex: 2, streamId: 2, text: 'From' });
    expect(withDelta(old, { stepIndex: 0, streamId: 1, text: 'stale' })).toBe(old);
  });

  it('drops the streamed text once its step or a later one is written, not before', () => {
    const streaming = { stepIndex: 2, streamId: 1, text: 'From' };
    expect(withStepWritten(streaming, 1)).toBe(streaming);
    expect(withStepWritten(streaming, 2)).toBeNull();
    expect(withStepWritten(streaming, 3)).toBeNull();
    expect(withStepWritten(null, 0)).toBeNull();
  });
});
