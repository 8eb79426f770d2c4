'use client';
// The error state of an agents, prompts or tools page: the workspace shell stays,
// the section says it could not load and offers a retry. Never internal text.
import { Alert } from '../ui/alert';
import { Button } from '../ui/button';

export function SectionError({ what, digest, reset }: { what: string; digest?: string; reset: () => void }) {
  return (
    <div className="space-y-4">
      <Alert>
        We could not load {what}. Try again in a moment.
        {digest && <span className="mt-1 block text-xs">Reference: {digest}</span>}
      </Alert>
      <Button variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
