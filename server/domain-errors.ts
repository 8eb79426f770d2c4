// The only errors domain code throws. Routers and route handlers map them to
// tRPC codes and HTTP statuses in one place (server/trpc/error-mapping.ts);
// their messages are written for the user.

export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The thing does not exist for this caller — also used for other tenants' ids. */
export class NotFound extends DomainError {}
/** The caller can see the thing but their role may not do this. */
export class Forbidden extends DomainError {}
/** The request clashes with current state (duplicate, last owner, already accepted). */
export class Conflict extends DomainError {}
/**
 * A quota, rate or throttle limit was hit. `retryAfterSeconds`, when set, is when
 * the limit has room again (HTTP Retry-After); without it, waiting does not help.
 */
export class LimitExceeded extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
/** A hard budget has no room for the call's worst-case cost; the message names the budget. */
export class BudgetExhausted extends LimitExceeded {
  constructor(
    message: string,
    readonly budgetId: string,
  ) {
    super(message);
  }
}
/** A workspace policy refuses the request. */
export class PolicyViolation extends DomainError {}
/** Input that passed the schema but makes no sense (with the offending field, if any). */
export class InvalidInput extends DomainError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
/**
 * An outside service could not be reached or did not answer in time (unresolvable
 * host, refused connection, timeout). `kind` lets callers decide on a fallback.
 */
export class UpstreamFailure extends DomainError {
  constructor(
    message: string,
    readonly kind: 'timeout' | 'unreachable' | 'unresolvable' | 'cancelled',
  ) {
    super(message);
  }
}
