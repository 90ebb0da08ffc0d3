import type { ReactNode } from 'react';

export interface OperationRow {
  what: ReactNode;
  actor: string;
  /** Already formatted in the reader's language and the region's zone. */
  at: string;
  reason: string;
}

/** Who did what, when and why: a run's manager operations or a rollout's controls. */
export function OperationsTable({ rows, labels }: { rows: OperationRow[]; labels: { title: string; empty: string; what: string; who: string; when: string; why: string } }) {
  if (rows.length === 0) return <p>{labels.empty}</p>;
  return (
    <table aria-label={labels.title}>
      <thead>
        <tr>
          <th scope="col">{labels.what}</th>
          <th scope="col">{labels.who}</th>
          <th scope="col">{labels.when}</th>
          <th scope="col">{labels.why}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            <td>{row.what}</td>
            <td>{row.actor}</td>
            <td>{row.at}</td>
            <td>{row.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
