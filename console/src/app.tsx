import type { QueryClient } from '@tanstack/react-query';
import { createBrowserRouter } from 'react-router';
import { prefetchStuckListBesideSession } from './api/stuck-query';
import { AppShell } from './components/app-shell';
import { HomeRedirect } from './pages/home-redirect';
import { NotFoundPage } from './pages/not-found-page';
import { SignInPage } from './pages/sign-in-page';

/**
 * The console's deep links (e-mails link to /runs/:runId); every page but sign-in needs a session.
 * Each task's page is a chunk of its own, loaded when its route is first matched (beside its
 * data, not before it), so a page's libraries do not weigh on every other page's first load.
 */
export function consoleRouter(queryClient: QueryClient) {
  return createBrowserRouter([
    { path: '/sign-in', element: <SignInPage /> },
    {
      element: <AppShell />,
      children: [
        { index: true, element: <HomeRedirect /> },
        {
          path: 'stuck',
          lazy: async () => ({ Component: (await import('./pages/stuck-page')).StuckPage }),
          // Starts the list's request at once, not after the session check and the shell's render.
          loader: ({ request }) => {
            prefetchStuckListBesideSession(queryClient, new URL(request.url).searchParams);
            return null;
          },
        },
        { path: 'runs', lazy: async () => ({ Component: (await import('./pages/household-runs-page')).HouseholdRunsPage }) },
        { path: 'runs/:runId', lazy: async () => ({ Component: (await import('./pages/run-page')).RunPage }) },
        { path: 'rollouts', lazy: async () => ({ Component: (await import('./pages/rollouts-page')).RolloutsPage }) },
        { path: 'rollouts/:rolloutId', lazy: async () => ({ Component: (await import('./pages/rollout-page')).RolloutPage }) },
        { path: 'cohorts/import', lazy: async () => ({ Component: (await import('./pages/cohort-import-page')).CohortImportPage }) },
        { path: 'agencies/:agency/tasks', lazy: async () => ({ Component: (await import('./pages/agency-tasks-page')).AgencyTasksPage }) },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);
}
