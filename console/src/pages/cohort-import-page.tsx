import { ComingSoonPage } from './coming-soon-page';

/** Not built yet: holds the deep link. */
export function CohortImportPage() {
  return <ComingSoonPage />;
}
