import type { SessionAnswer } from './api/session';

export interface NavItem {
  to: string;
  /** A message-catalog key. */
  label: string;
}

/** The pages each role works in (the API still checks every call). */
export function navFor(principal: SessionAnswer['principal']): NavItem[] {
  if (principal.role === 'ministry') return principal.agency ? [{ to: `/agencies/${principal.agency}/tasks`, label: 'nav.tasks' }] : [];
  const items: NavItem[] = [
    { to: '/rollouts', label: 'nav.rollouts' },
    { to: '/stuck', label: 'nav.stuck' },
    { to: '/runs', label: 'nav.householdRuns' },
  ];
  // Importing a cohort and starting its rollout are a coordinator's; a manager supervises them.
  if (principal.role === 'coordinator') items.splice(1, 0, { to: '/cohorts/import', label: 'nav.cohortImport' });
  return items;
}

/** Where a role lands when it opens the console's root. */
export const homeOf = (principal: SessionAnswer['principal']) => navFor(principal).find((i) => i.to !== '/rollouts')?.to ?? '/rollouts';
