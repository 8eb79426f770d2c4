'use client';
// Server-checked forms tell people what went wrong: after a failed submit, focus
// moves to the first field marked invalid (its message is read with it), or, when
// no field is to blame, to the error summary, which is also a live alert.
import { useEffect, useRef, type ReactNode, type RefObject } from 'react';
import { Alert } from './alert';
import { formError } from './mutation-errors';

/**
 * Call with the latest submit error (a tRPC mutation error, or any value that
 * changes on each failed attempt). Put `formRef` on the <form> and `summaryRef`
 * on its <FormErrorSummary>.
 */
export function useFocusOnError(error: unknown): {
  formRef: RefObject<HTMLFormElement | null>;
  summaryRef: RefObject<HTMLDivElement | null>;
} {
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!error) return;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid ?? summaryRef.current)?.focus();
  }, [error]);
  return { formRef, summaryRef };
}

/** The form-level message (role="alert"), focusable so useFocusOnError can land on it. */
export function FormErrorSummary({ message, summaryRef }: { message?: string; summaryRef: RefObject<HTMLDivElement | null> }): ReactNode {
  if (!message) return null;
  return (
    <Alert ref={summaryRef} tabIndex={-1}>
      {message}
    </Alert>
  );
}

/**
 * The announcement above a form after a failed submit (role="alert"): the
 * server's message, or, when every problem is shown beside its field, a pointer
 * to those fields, so screen-reader users hear that something needs fixing.
 */
export function FormAlert({ error, summaryRef }: { error: unknown; summaryRef?: RefObject<HTMLDivElement | null> }): ReactNode {
  if (!error) return null;
  return (
    <Alert ref={summaryRef} tabIndex={-1}>
      {formError(error) ?? 'Check the fields marked below.'}
    </Alert>
  );
}
