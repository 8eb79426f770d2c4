'use client';
// Shown for unexpected errors: a plain message and a way out, never a stack trace.
import { Button } from '@/components/ui/button';
import { LinkButton } from '@/components/ui/link-button';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div role="alert" className="max-w-md text-center">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Something went wrong</h1>
        <p className="mt-2 text-sm text-slate-600">We could not show this page. Try again in a moment.</p>
        {error.digest && <p className="mt-2 text-xs text-slate-500">Reference: {error.digest}</p>}
        <div className="mt-6 flex justify-center gap-3">
          <Button onClick={reset}>Try again</Button>
          <LinkButton href="/" variant="secondary">
            Go home
          </LinkButton>
        </div>
      </div>
    </main>
  );
}
