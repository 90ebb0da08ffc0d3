import { createBrowserRouter } from 'react-router';
import { AppShell } from './components/app-shell';
import { AgencyTasksPage } from './pages/agency-tasks-page';
import { CohortImportPage } from './pages/cohort-import-page';
import { HomeRedirect } from './pages/home-redirect';
import { NotFoundPage } from './pages/not-found-page';
import { RolloutPage } from './pages/rollout-page';
import { RolloutsPage } from './pages/rollouts-page';
import { RunPage } from './pages/run-page';
import { SignInPage } from './pages/sign-in-page';
import { StuckPage } from './pages/stuck-page';

/** The console's deep links (e-mails link to /runs/:runId); every page but sign-in needs a session. */
export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  {
    element: <AppShell />,
    children: [
      { index: true, element: <HomeRedirect /> },
      { path: 'stuck', element: <StuckPage /> },
      { path: 'runs/:runId', element: <RunPage /> },
      { path: 'rollouts', element: <RolloutsPage /> },
      { path: 'rollouts/:rolloutId', element: <RolloutPage /> },
      { path: 'cohorts/import', element: <CohortImportPage /> },
      { path: 'agencies/:agency/tasks', element: <AgencyTasksPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
