// The 404 page, also shown (with status 404) for workspaces the visitor is not a
// member of, so their existence never leaks.
import { LinkButton } from '@/components/ui/link-button';

export const metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="max-w-md text-center">
        <p className="text-sm font-semibold text-accent-700">404</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">We couldn&apos;t find that page</h1>
        <p className="mt-2 text-sm text-slate-600">It may not exist, or you may not have access to it.</p>
        <LinkButton href="/" className="mt-6">
          Go home
        </LinkButton>
      </div>
    </main>
  );
}
