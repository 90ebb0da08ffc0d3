import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { signInPath } from '../api/client';
import { signOut } from '../api/session';
import { useSession } from '../api/use-session';
import { navFor } from '../nav-by-role';
import { LanguageSwitch } from './language-switch';
import { LoadState } from './load-state';

/** The frame around every signed-in page: who is signed in (and the regions they are limited to), the pages their role uses, language, sign-out. */
export function AppShell() {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  if (session.isPending || session.isError) return <LoadState query={session} />;
  if (!session.data) return <Navigate to={signInPath(location.pathname + location.search)} replace />;
  const { principal } = session.data;
  const onSignOut = async () => {
    await signOut();
    queryClient.clear();
    await navigate('/sign-in');
  };
  return (
    <div className="shell">
      <header className="shell-header">
        <strong className="brand">{t('app.name')}</strong>
        <nav aria-label={t('nav.label')}>
          {navFor(principal).map((item) => (
            <NavLink key={item.to} to={item.to}>
              {t(item.label)}
            </NavLink>
          ))}
        </nav>
        <span className="who">{t('session.signedInAs', { id: principal.id, role: t(`roles.${principal.role}`) })}</span>
        {/* A person limited to regions sees those alone on every page: said once, here. */}
        {'regions' in principal && principal.regions && <span className="regions">{t('session.regions', { regions: principal.regions.join(', ') })}</span>}
        <LanguageSwitch />
        <button type="button" onClick={() => void onSignOut()}>
          {t('session.signOut')}
        </button>
      </header>
      <main>
        <Outlet context={session.data} />
      </main>
    </div>
  );
}
