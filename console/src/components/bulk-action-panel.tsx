import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BulkActionDialog, type BulkFilter, type StartedBulkAction } from './bulk-action-dialog';
import { BulkActionProgress } from './bulk-action-progress';

/** The stuck list's bulk action (managers): a button that opens the dialog, then the started operation's progress. */
export function BulkActionPanel({ filter, steps, minAgeSet }: { filter: BulkFilter; steps: string[]; minAgeSet: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [started, setStarted] = useState<StartedBulkAction>();
  return (
    <div className="bulk-action">
      <button type="button" disabled={minAgeSet} aria-describedby={minAgeSet ? 'bulk-action-min-age' : undefined} onClick={() => setOpen(true)}>
        {t('bulkAction.open')}
      </button>
      {minAgeSet && <small id="bulk-action-min-age">{t('bulkAction.minAgeUnsupported')}</small>}
      {open && (
        <BulkActionDialog
          filter={filter}
          steps={steps}
          onClose={() => setOpen(false)}
          onStarted={(operation) => {
            setStarted(operation);
            setOpen(false);
          }}
        />
      )}
      {started && <BulkActionProgress key={started.operationId} started={started} onDismiss={() => setStarted(undefined)} />}
    </div>
  );
}
