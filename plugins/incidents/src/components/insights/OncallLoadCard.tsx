import { Table, TableColumn } from '@backstage/core-components';
import {
  EntityDisplayName,
  EntityRefLink,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { OncallLoadReport } from '@vigil/plugin-incidents-common';
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
import { loadRows } from './insightsData';
import { useChartColors } from './severityColors';

type Member = OncallLoadReport['schedules'][number]['members'][number];
type UserRow = ReturnType<typeof loadRows>[number];

const Person = ({ userRef }: { userRef: string }) => (
  <EntityRefLink entityRef={userRef}>
    <EntityDisplayName entityRef={userRef} hideIcon />
  </EntityRefLink>
);

/**
 * Hours on call per person, stacked into business, off and sleep hours (in
 * the rota's time zone), the pages each had, and per rota each member's
 * share of the hours and of the interruptions.
 */
export const OncallLoad = (props: { report: OncallLoadReport }) => {
  const { report } = props;
  const colors = useChartColors();
  const rows = loadRows(report);
  const userColumns: TableColumn<UserRow>[] = [
    { title: 'Person', render: r => <Person userRef={r.userRef} /> },
    { title: 'Business h', field: 'business', type: 'numeric' },
    { title: 'Off h', field: 'off', type: 'numeric' },
    { title: 'Sleep h', field: 'sleep', type: 'numeric' },
    { title: 'Pages', field: 'pages', type: 'numeric' },
    { title: 'Pages in sleep hours', field: 'sleepPages', type: 'numeric' },
  ];
  const memberColumns: TableColumn<Member>[] = [
    { title: 'Person', render: m => <Person userRef={m.userRef} /> },
    { title: 'Hours', field: 'hours', type: 'numeric' },
    {
      title: 'Share of hours',
      type: 'numeric',
      render: m => `${m.hoursShare}%`,
    },
    { title: 'Interruptions', field: 'interruptions', type: 'numeric' },
    {
      title: 'Share of interruptions',
      type: 'numeric',
      render: m => `${m.interruptionShare}%`,
    },
  ];
  if (rows.length === 0) {
    return <Typography>Nobody was on call or paged in this range.</Typography>;
  }
  return (
    <>
      <Box height={Math.max(160, rows.length * 36 + 60)} aria-hidden>
        <ResponsiveContainer>
          <BarChart
            data={rows.map(r => ({ ...r, name: r.userRef.split('/').pop() }))}
            layout="vertical"
          >
            <CartesianGrid strokeDasharray="3 3" stroke={colors.grid} />
            <XAxis type="number" stroke={colors.text} unit=" h" />
            <YAxis
              type="category"
              dataKey="name"
              width={110}
              stroke={colors.text}
            />
            <Tooltip formatter={(v: number) => `${v} h`} />
            <Legend />
            <Bar
              dataKey="business"
              name="Business hours"
              stackId="h"
              fill={colors.hours.business}
            />
            <Bar
              dataKey="off"
              name="Off hours"
              stackId="h"
              fill={colors.hours.off}
            />
            <Bar
              dataKey="sleep"
              name="Sleep hours"
              stackId="h"
              fill={colors.hours.sleep}
            />
          </BarChart>
        </ResponsiveContainer>
      </Box>
      <Table<UserRow>
        title="Per person"
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={userColumns}
        data={rows}
      />
      {report.schedules.map(s => (
        <Box mt={2} key={s.id}>
          <Table<Member>
            title={`Fairness: ${s.name}`}
            options={{ paging: false, search: false, padding: 'dense' }}
            columns={memberColumns}
            data={s.members}
          />
        </Box>
      ))}
    </>
  );
};
