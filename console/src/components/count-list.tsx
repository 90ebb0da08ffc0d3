/** Counts by a key (agency, regency), largest first. */
export function CountList({ title, counts }: { title: string; counts: Record<string, number> }) {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return (
    <figure className="count-list">
      <figcaption>{title}</figcaption>
      <dl>
        {entries.map(([key, count]) => (
          <div key={key}>
            <dt>{key}</dt>
            <dd>{count}</dd>
          </div>
        ))}
      </dl>
    </figure>
  );
}
