import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="max-w-md text-center">
        <p className="text-sm font-semibold text-accent-700">404</p>
        <h1 className="mt-2 text-2xl font-semibold text-slate-900">We couldn&apos;t find that page</h1>
        <p className="mt-2 text-sm text-slate-600">It may not exist, or you may not have access to it.</p>
        <Link
          href="/"
          className="mt-6 inline-block rounded-md bg-accent-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-accent-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent-600"
        >
          Go home
        </Link>
      </div>
    </main>
  );
}
