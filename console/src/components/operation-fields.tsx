import { useTranslation } from 'react-i18next';
import { agencies, type Agency } from '../api/agencies';
import { Field } from './field';

const extendChoices = [3, 7, 14, 30];

/** What an extend needs: by how many days (one run's operation and a bulk action alike). */
export function ExtendByField({ days, onChange, error, disabled }: { days: number; onChange: (days: number) => void; error?: string; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <Field label={t('ops.extendBy')} error={error}>
      {(props) => (
        <select {...props} value={days} onChange={(e) => onChange(Number(e.target.value))} disabled={disabled}>
          {extendChoices.map((choice) => (
            <option key={choice} value={choice}>
              {t('ops.extendDays', { count: choice })}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** What a reassign needs: the agency to move the step to, other than the one it is at. */
export function ToAgencyField({ agency, onChange, from, error, disabled }: { agency: Agency | ''; onChange: (agency: Agency | '') => void; from?: string; error?: string; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <Field label={t('ops.toAgency')} error={error}>
      {(props) => (
        <select {...props} value={agency} onChange={(e) => onChange(e.target.value as Agency)} disabled={disabled}>
          <option value="" />
          {agencies
            .filter((a) => a !== from)
            .map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
        </select>
      )}
    </Field>
  );
}
