import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';

export interface WelfareBar {
  /** The welfare status in the reader's language. */
  status: string;
  before: number;
  after: number;
}

/**
 * Welfare status before and after, a grouped bar per status. Its own module with a default
 * export so the page loads it with React.lazy: recharts stays out of the first load.
 */
export default function RolloutWelfareChart({ bars, beforeLabel, afterLabel, label }: { bars: WelfareBar[]; beforeLabel: string; afterLabel: string; label: string }) {
  return (
    <div role="img" aria-label={label} className="welfare-chart">
      <BarChart width={560} height={260} data={bars} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="status" />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        <Bar dataKey="before" name={beforeLabel} fill="#9aa5b1" isAnimationActive={false} />
        <Bar dataKey="after" name={afterLabel} fill="#12355b" isAnimationActive={false} />
      </BarChart>
    </div>
  );
}
