import { createBrowserRouter } from 'react-router';
import { AppShell } from './components/app-shell';
import { ComingSoonPage } from './pages/coming-soon-page';
import { HomeRedirect } from './pages/home-redirect';
import { NotFoundPage } from './pages/not-found-page';
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
      { path: 'rollouts', element: <ComingSoonPage /> },
      { path: 'rollouts/:rolloutId', element: <ComingSoonPage /> },
      { path: 'cohorts/import', element: <ComingSoonPage /> },
      { path: 'agencies/:agency/tasks', element: <ComingSoonPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
