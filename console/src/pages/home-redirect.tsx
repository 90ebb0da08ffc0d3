import { Navigate, useOutletContext } from 'react-router';
import type { SessionAnswer } from '../api/session';
import { homeOf } from '../nav-by-role';

/** `/` opens the page the signed-in role works in most. */
export function HomeRedirect() {
  const session = useOutletContext<SessionAnswer>();
  return <Navigate to={homeOf(session.principal)} replace />;
}
