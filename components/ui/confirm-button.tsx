'use client';
// A button that asks "are you sure?" inline before a destructive action, instead
// of a blocking browser dialog. Focus moves into the question and back; Escape cancels.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Button, type ButtonVariant } from './button';

export function ConfirmButton(props: {
  children: ReactNode;
  question: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  pending?: boolean;
  pendingLabel?: string;
  variant?: ButtonVariant;
  disabled?: boolean;
  /** Id of the text explaining why the button is disabled, or what it does. */
  describedBy?: string;
  /** Keep the question and buttons on one line (e.g. inside a table row). */
  nowrap?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  // Once the action settles (row removed, or an error shown elsewhere), fold the question away.
  const [wasPending, setWasPending] = useState(Boolean(props.pending));
  if (Boolean(props.pending) !== wasPending) {
    setWasPending(Boolean(props.pending));
    if (!props.pending) setAsking(false);
  }
  const showing = asking || Boolean(props.pending);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const wasShowing = useRef(false);

  useEffect(() => {
    if (showing) confirmRef.current?.focus();
    else if (wasShowing.current) triggerRef.current?.focus();
    wasShowing.current = showing;
  }, [showing]);

  if (!showing) {
    return (
      <Button ref={triggerRef} variant="secondary" disabled={props.disabled} aria-describedby={props.describedBy} onClick={() => setAsking(true)}>
        {props.children}
      </Button>
    );
  }
  return (
    <div
      role="group"
      aria-label="Confirm"
      className={`flex items-center justify-end gap-2 ${props.nowrap ? 'flex-wrap sm:flex-nowrap sm:whitespace-nowrap' : 'flex-wrap'}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !props.pending) setAsking(false);
      }}
    >
      <span className="min-w-0 break-words text-sm text-slate-700">{props.question}</span>
      <Button
        ref={confirmRef}
        variant={props.variant ?? 'danger'}
        pending={props.pending}
        pendingLabel={props.pendingLabel}
        onClick={props.onConfirm}
      >
        {props.confirmLabel}
      </Button>
      {!props.pending && (
        <Button variant="ghost" onClick={() => setAsking(false)}>
          Cancel
        </Button>
      )}
    </div>
  );
}
