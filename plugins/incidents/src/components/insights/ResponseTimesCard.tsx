import { useState } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { MetricsSummary } from '@vigil/plugin-incidents-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  formatSeconds,
  RESPONSE_METRICS,
  ResponseMetric,
  responseTimeRows,
} from './insightsData';
import { useChartColors } from './severityColors';

type Row = MetricsSummary['bySeverity'][number];

/**
 * MTTA, MTTM and MTTR per severity: the median as a solid bar and the p90
 * beside it, in minutes, with the figures in a table below.
 */
export const ResponseTimes = (props: { summary: MetricsSummary }) => {
  const { summary } = props;
  const [metric, setMetric] = useState<ResponseMetric>('timeToAcknowledge');
  const colors = useChartColors();
  const rows = responseTimeRows(summary, metric);
  const columns: TableColumn<Row>[] = [
    { title: 'Severity', render: r => r.severity.toLocaleUpperCase('en-US') },
    { title: 'Incidents', field: 'count', type: 'numeric' },
    ...RESPONSE_METRICS.map(
      m =>
        ({
          title: `${m.short} median / p90`,
          render: (r: Row) =>
            `${formatSeconds(r[m.key].median)} / ${formatSeconds(
              r[m.key].p90,
            )}`,
        } as TableColumn<Row>),
    ),
  ];
  return (
    <>
      <Tabs
        value={metric}
        onChange={(_, value) => setMetric(value)}
        aria-label="Response time"
        indicatorColor="primary"
      >
        {RESPONSE_METRICS.map(m => (
          <Tab key={m.key} value={m.key} label={`${m.short} · ${m.label}`} />
        ))}
      </Tabs>
      <Box height={260} mt={2} aria-hidden>
        <ResponsiveContainer>
          <BarChart data={rows}>
            <CartesianGrid strokeDasharray="3 3" stroke={colors.grid} />
            <XAxis dataKey="label" stroke={colors.text} />
            <YAxis
              stroke={colors.text}
              label={{
                value: 'minutes',
                angle: -90,
                position: 'insideLeft',
                fill: colors.text,
              }}
            />
            <Tooltip formatter={(v: number) => `${v} min`} />
            <Legend />
            {/* The bars take their severity's colour; the legend shows the
                solid median and the faded p90 in grey. */}
            <Bar dataKey="median" name="Median" fill={colors.text}>
              {rows.map(r => (
                <Cell key={r.severity} fill={colors.severity[r.severity]} />
              ))}
            </Bar>
            <Bar dataKey="p90" name="p90" fill={colors.text} fillOpacity={0.45}>
              {rows.map(r => (
                <Cell key={r.severity} fill={colors.severity[r.severity]} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </Box>
      <Table<Row>
        title="By severity"
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={[
          {
            severity: 'all' as any,
            ...summary.overall,
          },
          ...summary.bySeverity,
        ]}
      />
    </>
  );
};
