import { useQuery } from '@tanstack/react-query';
import { currentSession } from './session';

export const sessionKey = ['session'] as const;

/** Who is signed in (null when nobody is), shared by every page through the query cache. */
export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: currentSession, staleTime: 60_000 });
}
