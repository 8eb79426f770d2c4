// Errors in OpenAI's wire shape, {error:{message,type,param,code}}, so the
// openai SDK raises the same typed errors it raises against a real provider.
import { z } from 'zod';

export type ErrorDetails = {
  type: string;
  param?: string | null;
  code?: string | null;
  headers?: Record<string, string>;
};

export class LocalModelError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: ErrorDetails,
  ) {
    super(message);
  }

  body() {
    return {
      error: {
        message: this.message,
        type: this.details.type,
        param: this.details.param ?? null,
        code: this.details.code ?? null,
      },
    };
  }
}

export function invalidRequest(message: string, param: string | null = null, code: string | null = null) {
  return new LocalModelError(400, message, { type: 'invalid_request_error', param, code });
}

/** The first zod issue as a 400, naming the offending field like OpenAI's `param`. */
export function fromZodError(error: z.ZodError): LocalModelError {
  const issue = error.issues[0]!;
  const path = issue.path.reduce<string>(
    (at, key) => (typeof key === 'number' ? `${at}[${key}]` : at ? `${at}.${String(key)}` : String(key)),
    '',
  );
  const param = path || null;
  const where = param ? `Invalid '${param}': ` : 'Invalid request: ';
  return invalidRequest(`${where}${issue.message}`, param, 'invalid_value');
}
