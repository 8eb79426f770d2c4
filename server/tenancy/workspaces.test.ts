import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFound } from '../domain-errors';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { signUp } from './accounts';
import { createWorkspace, slugify, workspaceBySlugForUser, workspacesOfUser } from './workspaces';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.stop());

describe('workspaces', () => {
  it('slugifies names into URL-safe slugs', () => {
    expect(slugify('Acme Corp.')).toBe('acme-corp');
    expect(slugify('Ünïcödé Team')).toBe('unicode-team');
    expect(slugify('!')).toMatch(/^workspace/);
  });

  it('makes the creator the owner and lists only their workspaces', async () => {
    const ann = await signUp({ email: 'ann@ws.test', name: 'Ann', password: 'long enough pass' });
    const ben = await signUp({ email: 'ben@ws.test', name: 'Ben', password: 'long enough pass' });
    const acme = await createWorkspace(ann.id, { name: 'Acme' });
    await createWorkspace(ben.id, { name: 'Globex' });
    expect(acme).toMatchObject({ name: 'Acme', slug: 'acme', role: 'owner' });
    expect((await workspacesOfUser(ann.id)).map((w) => w.slug)).toEqual(['acme']);
    expect(await workspaceBySlugForUser(ann.id, 'acme')).toMatchObject({ id: acme.id });
    await expect(workspaceBySlugForUser(ben.id, 'acme')).rejects.toBeInstanceOf(NotFound);
  });

  it('gives a second workspace with the same name its own slug', async () => {
    const cat = await signUp({ email: 'cat@ws.test', name: 'Cat', password: 'long enough pass' });
    const other = await createWorkspace(cat.id, { name: 'Acme' });
    expect(other.slug).toMatch(/^acme-[0-9a-f]{6}$/);
    await expect(createWorkspace(cat.id, { name: 'Mine', slug: 'acme' })).rejects.toThrow(/already taken/);
  });
});
