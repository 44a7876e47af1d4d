import { FrequencySeries } from '@vigil/plugin-incidents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { frequencyRows, frequencySeverities } from './insightsData';
import { useChartColors } from './severityColors';

/** Incidents opened per bucket, stacked by severity; empty buckets show as zero. */
export const Frequency = (props: { series: FrequencySeries }) => {
  const { series } = props;
  const colors = useChartColors();
  const rows = frequencyRows(series);
  const total = rows.reduce((a, r) => a + r.total, 0);
  return (
    <>
      <Typography variant="body2" color="textSecondary">
        {total} incidents, per {series.interval} ({series.timeZone})
      </Typography>
      <Box height={260} mt={1} aria-hidden>
        <ResponsiveContainer>
          <BarChart data={rows}>
            <CartesianGrid strokeDasharray="3 3" stroke={colors.grid} />
            <XAxis dataKey="label" stroke={colors.text} />
            <YAxis allowDecimals={false} stroke={colors.text} />
            <Tooltip />
            <Legend />
            {frequencySeverities(series).map(s => (
              <Bar
                key={s}
                dataKey={s}
                name={s.toLocaleUpperCase('en-US')}
                stackId="severity"
                fill={colors.severity[s]}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </Box>
    </>
  );
};
