import { ApplicationFailure, allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { checkPublish, type CatalogEntry } from '../domain/catalog';
import { catalogQuery, publishPlanUpdate } from './program-catalog-messages';

/**
 * The published program versions, kept durably by Temporal itself, so the embedded default
 * needs no database of its own. Runs forever; continues as new, carrying the entries, before
 * its history grows long.
 */
export async function programCatalog(carried: CatalogEntry[] = []): Promise<void> {
  const entries = [...carried];
  setHandler(catalogQuery, () => entries);
  setHandler(
    publishPlanUpdate,
    ({ plan, actor, at, shippedVersion }) => {
      const check = checkPublish(entries, plan, shippedVersion);
      if (!check.ok) throw ApplicationFailure.nonRetryable(check.message, check.type);
      if (check.existing) return check.existing;
      const entry: CatalogEntry = { plan, publishedBy: actor, publishedAt: at };
      entries.push(entry);
      return entry;
    },
    {
      validator: ({ plan, shippedVersion }) => {
        const check = checkPublish(entries, plan, shippedVersion);
        if (!check.ok) throw ApplicationFailure.create({ type: check.type, message: check.message, nonRetryable: true });
      },
    },
  );
  await condition(() => workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  await continueAsNew<typeof programCatalog>(entries);
}
