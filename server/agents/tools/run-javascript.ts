// The run_javascript tool: the model's code runs in the WASM sandbox of the call's
// context, fresh each time; the model gets the JSON result or the error, plus console output.
import { defineTool } from './tool-definition';
import { MAX_CODE_BYTES } from './javascript-sandbox';

type Args = { code: string };

export const runJavaScriptTool = defineTool<Args>({
  name: 'run_javascript',
  description:
    'Runs JavaScript (ES2023) in an isolated sandbox with no network, files, modules or timers, and returns the value of the last expression as JSON plus any console.log output. ' +
    'A promise as the last value is awaited. Limits: about 1 second and 32 MB per call; nothing is kept between calls.',
  parameters: {
    type: 'object',
    properties: {
      code: { type: 'string', minLength: 1, maxLength: MAX_CODE_BYTES, description: 'The script; its last expression is the result.' },
    },
    required: ['code'],
    additionalProperties: false,
  },
  async execute({ code }, context) {
    const run = await context.sandbox.run(code);
    const console = run.droppedLogLines > 0 ? [...run.logs, `[${run.droppedLogLines} more console lines dropped]`] : run.logs;
    return run.ok ? { result: run.result, console } : { error: run.error, console };
  },
});
