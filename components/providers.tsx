'use client';
// Client-side context for the whole app: the next-auth session and tRPC.
import { SessionProvider } from 'next-auth/react';
import type { ReactNode } from 'react';
import { TrpcProvider } from './trpc-provider';

export function Providers({ children }: { children: ReactNode }) {
  return (
    <SessionProvider>
      <TrpcProvider>{children}</TrpcProvider>
    </SessionProvider>
  );
}
