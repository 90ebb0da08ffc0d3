import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { signIn } from '../api/session';
import { sessionKey } from '../api/use-session';
import { LanguageSwitch } from '../components/language-switch';

/** Only a path of this console: `next` comes from the URL, so never another origin. */
const safeNext = (next: string | null) => (next && next.startsWith('/') && !next.startsWith('//') ? next : '/');

/** Exchanges an API key for a session cookie; the key stays in this form's state only until sent. */
export function SignInPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [apiKey, setApiKey] = useState('');
  const mutation = useMutation({
    mutationFn: signIn,
    onSuccess: async (session) => {
      setApiKey('');
      queryClient.setQueryData(sessionKey, session);
      await navigate(safeNext(params.get('next')), { replace: true });
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate(apiKey);
  };
  return (
    <main className="sign-in">
      <LanguageSwitch />
      <h1>{t('signIn.title')}</h1>
      {params.has('ended') && <p role="status">{t('signIn.sessionEnded')}</p>}
      <form onSubmit={onSubmit}>
        <label>
          {t('signIn.apiKey')}
          <input type="password" autoComplete="off" required value={apiKey} onChange={(e) => setApiKey(e.target.value)} aria-describedby="api-key-hint" />
        </label>
        <p id="api-key-hint" className="hint">
          {t('signIn.apiKeyHint')}
        </p>
        {mutation.error && <p role="alert">{t('signIn.failed', { message: mutation.error.message })}</p>}
        <button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
