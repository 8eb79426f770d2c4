'use client';
// Invitation links issued while this page is open. Only a hash of each token is
// stored, so a link can be shown only by the page that issued it (or a fresh one
// issued with Resend); the invite form and the pending list share what is known.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export type IssuedLink = { invitationId: string; email: string; url: string; emailing: boolean };

type Links = {
  get: (invitationId: string) => IssuedLink | undefined;
  remember: (link: IssuedLink, replaces?: string) => void;
  forget: (invitationId: string) => void;
};

const LinksContext = createContext<Links | null>(null);

export function InvitationLinksProvider({ children }: { children: ReactNode }) {
  const [links, setLinks] = useState<ReadonlyMap<string, IssuedLink>>(new Map());
  const remember = useCallback((link: IssuedLink, replaces?: string) => {
    setLinks((current) => {
      const next = new Map(current);
      if (replaces) next.delete(replaces);
      next.set(link.invitationId, link);
      return next;
    });
  }, []);
  const forget = useCallback((invitationId: string) => {
    setLinks((current) => {
      const next = new Map(current);
      next.delete(invitationId);
      return next;
    });
  }, []);
  const value = useMemo<Links>(() => ({ get: (id) => links.get(id), remember, forget }), [links, remember, forget]);
  return <LinksContext.Provider value={value}>{children}</LinksContext.Provider>;
}

export function useInvitationLinks(): Links {
  const links = useContext(LinksContext);
  if (!links) throw new Error('useInvitationLinks needs an InvitationLinksProvider above it');
  return links;
}
