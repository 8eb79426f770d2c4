import { it } from 'vitest';
import { createQuickJsSandbox } from './javascript-sandbox';
const sandbox = createQuickJsSandbox();
it('x', async () => {
  for (const code of ['const a = []; while (true) a.push(new Array(100000).fill(1.5));', 'const a = []; while (true) a.push(new Array(1000).fill(1.5));', '"x".repeat(1e8).length', 'new ArrayBuffer(1e9)', 'const a=[]; while(true) a.push({})', 'new Promise(() => {})', 'const f = (n) => f(n + 1) + 1; f(0)']) {
    const t = Date.now();
    try { const r = await sandbox.run(code); console.log(code, Date.now()-t, JSON.stringify(r)); } catch (e) { console.log(code, Date.now()-t, 'THROW', (e as Error).message); }
  }
});
