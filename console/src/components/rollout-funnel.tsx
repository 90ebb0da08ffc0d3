export interface FunnelStage {
  key: string;
  label: string;
  count: number;
  note?: string;
}

/** Cohort → eligible → started → each step → completed, each bar as wide as its share of the cohort; the page's heading names it. */
export function RolloutFunnel({ title, stages }: { title: string; stages: readonly FunnelStage[] }) {
  const base = Math.max(stages[0]?.count ?? 0, 1);
  return (
    <figure className="funnel" style={{ margin: 0 }}>
      <ol aria-label={title} style={{ listStyle: 'none', padding: 0 }}>
        {stages.map((stage) => (
          <li
            key={stage.key}
            style={{
              display: 'grid',
              gridTemplateColumns: '16rem 4rem 1fr',
              gap: '0.5rem',
              alignItems: 'center',
              marginBottom: '0.2rem',
            }}
          >
            <span>{stage.label}</span>
            <strong style={{ textAlign: 'right' }}>{stage.count}</strong>
            <span
              aria-hidden="true"
              style={{
                display: 'block',
                height: '0.9rem',
                maxWidth: '30rem',
                width: `${Math.min(100, (stage.count / base) * 100)}%`,
                background: '#12355b',
                borderRadius: '0.2rem',
              }}
            />
            {stage.note && (
              <span className="hint" style={{ gridColumn: '1 / -1' }}>
                {stage.note}
              </span>
            )}
          </li>
        ))}
      </ol>
    </figure>
  );
}
