// Root layout: the document, global styles and the client providers (session, tRPC).
import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Enclave', template: '%s · Enclave' },
  description: 'Multi-tenant AI agent platform',
};

export const viewport: Viewport = { themeColor: '#4f46e5' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request: every page gets the CSP nonce of its own response (server/http/security-headers.ts).
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
