// The workspace-wide notice of budget alerts this month: for each budget, the
// highest threshold (50, 80 or 100%) it reached, linking to the budgets page.
import Link from 'next/link';
import { Alert } from '../ui/alert';

type BudgetAlert = { budgetId: string; budgetName: string; threshold: number; enforcement: 'hard' | 'soft' };

export function BudgetNotice({ slug, alerts }: { slug: string; alerts: BudgetAlert[] }) {
  const highest = new Map<string, BudgetAlert>();
  for (const alert of alerts) {
    if ((highest.get(alert.budgetId)?.threshold ?? 0) < alert.threshold) highest.set(alert.budgetId, alert);
  }
  if (highest.size === 0) return null;
  const worst = Math.max(...[...highest.values()].map((a) => a.threshold));
  return (
    <div className="mb-6" data-testid="budget-notice">
      <Alert tone={worst >= 100 ? 'error' : 'warning'}>
        <ul className="space-y-1">
          {[...highest.values()].map((a) => (
            <li key={a.budgetId}>
              Budget <strong>{a.budgetName}</strong>{' '}
              {a.threshold >= 100
                ? a.enforcement === 'hard'
                  ? 'is exhausted for this month: model calls that could pass it are refused.'
                  : 'reached its monthly limit (soft: calls continue).'
                : `reached ${a.threshold}% of its monthly limit.`}
            </li>
          ))}
        </ul>
        <Link href={`/w/${slug}/budgets`} className="mt-1 inline-flex min-h-10 items-center font-medium underline sm:min-h-0">
          See budgets
        </Link>
      </Alert>
    </div>
  );
}
