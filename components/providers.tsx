'use client';
// Client-side context for the whole app: the next-auth session, tRPC and the toast region.
import { SessionProvider } from 'next-auth/react';
import type { ReactNode } from 'react';
import { TrpcProvider } from './trpc-provider';
import { ToastProvider } from './ui/toast';

export function Providers({ children }: { children: ReactNode }) {
  return (
    <SessionProvider>
      <TrpcProvider>
        <ToastProvider>{children}</ToastProvider>
      </TrpcProvider>
    </SessionProvider>
  );
}
