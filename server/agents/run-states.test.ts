// The run state machine and the choice of a run's next step from its written steps.
import { describe, expect, it } from 'vitest';
import { Conflict } from '../domain-errors';
import { messagesOf, nextAction } from './run-context';
import { assertTransition, canTransition, isFinished, RUN_STATES } from './run-states';
import type { RunStepView } from './runs';

function step(partial: Partial<RunStepView> & Pick<RunStepView, 'stepIndex' | 'kind'>): RunStepView {
  return {
    status: 'ok', content: null, toolCalls: [], toolName: null, toolCallId: null, toolArgs: null, toolResult: null, error: null,
    provider: 'local', model: 'enclave-local-chat', inputTokens: 0, outputTokens: 0, costUsd: 0, latencyMs: 0,
    startedAt: new Date(0), finishedAt: new Date(0), ...partial,
  };
}

const call = { id: 'call_1', name: 'run_javascript', arguments: '{"code":"1+2"}' };

describe('run states', () => {
  it('never leaves a finished state, and only running runs finish', () => {
    for (const final of ['succeeded', 'failed', 'cancelled', 'timed_out'] as const) {
      expect(isFinished(final)).toBe(true);
      for (const to of RUN_STATES) expect(canTransition(final, to)).toBe(false);
      expect(canTransition('running', final)).toBe(true);
    }
    expect(canTransition('queued', 'succeeded')).toBe(false);
    expect(() => assertTransition('succeeded', 'running')).toThrow(Conflict);
  });
});

describe('the next step of a run', () => {
  it('starts with a model call, runs each requested tool in turn, then asks the model again', () => {
    expect(nextAction([], 4)).toEqual({ kind: 'model' });
    const asked = step({ stepIndex: 0, kind: 'model', toolCalls: [call, { ...call, id: 'call_2' }] });
    expect(nextAction([asked], 4)).toEqual({ kind: 'tool', call });
    const first = step({ stepIndex: 1, kind: 'tool', toolCallId: 'call_1', toolResult: { result: 3 } });
    expect(nextAction([asked, first], 4)).toEqual({ kind: 'tool', call: { ...call, id: 'call_2' } });
    const second = step({ stepIndex: 2, kind: 'tool', toolCallId: 'call_2', toolResult: { result: 3 } });
    expect(nextAction([asked, first, second], 4)).toEqual({ kind: 'model' });
    expect(nextAction([asked, first, second], 1)).toEqual({ kind: 'out_of_steps' });
    const answer = step({ stepIndex: 3, kind: 'model', content: 'It is 3.' });
    expect(nextAction([asked, first, second, answer], 4)).toEqual({ kind: 'done', output: 'It is 3.' });
  });

  it('rebuilds the conversation from the written steps', () => {
    const steps = [step({ stepIndex: 0, kind: 'model', toolCalls: [call] }), step({ stepIndex: 1, kind: 'tool', toolCallId: 'call_1', toolResult: { result: 3 } })];
    expect(messagesOf({ systemPrompt: 'Be brief.', input: 'use run_javascript with code 1+2', steps })).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'use run_javascript with code 1+2' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'run_javascript', arguments: '{"code":"1+2"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"result":3}' },
    ]);
  });
});
