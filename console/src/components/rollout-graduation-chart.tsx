import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';

export interface ScoreBar {
  /** The score band, e.g. 70-79. */
  band: string;
  runs: number;
}

/**
 * Decided runs by readiness score band, one bar per band. Its own module with a default export
 * so the page loads it with React.lazy, as the welfare chart: recharts stays out of the first load.
 */
export default function RolloutGraduationChart({ bars, runsLabel, label }: { bars: ScoreBar[]; runsLabel: string; label: string }) {
  return (
    <div role="img" aria-label={label} className="welfare-chart">
      <BarChart width={560} height={240} data={bars} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="band" interval={0} tick={{ fontSize: 11 }} />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Bar dataKey="runs" name={runsLabel} fill="#12355b" isAnimationActive={false} />
      </BarChart>
    </div>
  );
}
