import {
  LinearGauge,
  Link,
  Table,
  TableColumn,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { SlaReport } from '@vigil/plugin-incidents-common';
import { useIncidentLink } from '../../hooks';
import { formatTimestamp } from '../../utils/format';
import { SeverityChip } from '../incidents/SeverityChip';
import { formatSeconds, formatTarget } from './insightsData';

type SeverityRow = SlaReport['bySeverity'][number];
type Breach = SlaReport['breaches'][number];

const percent = (value: number | null) => (value === null ? '—' : `${value}%`);

/**
 * The share of incidents acknowledged within their severity's target, and
 * the breaches (late, or still unacknowledged past the target) linked to
 * their war rooms.
 */
export const Sla = (props: { report: SlaReport }) => {
  const { report } = props;
  const link = useIncidentLink();
  const severityColumns: TableColumn<SeverityRow>[] = [
    {
      title: 'Severity',
      render: r => <SeverityChip severity={r.severity} />,
    },
    { title: 'Target', render: r => formatTarget(r.target) },
    { title: 'Met', field: 'met', type: 'numeric' },
    { title: 'Breached', field: 'breached', type: 'numeric' },
    { title: 'Not yet due', field: 'pending', type: 'numeric' },
    {
      title: 'Compliance',
      render: r =>
        r.compliance === null ? (
          '—'
        ) : (
          <Box display="flex" alignItems="center" minWidth={140}>
            <Box flex={1} mr={1}>
              <LinearGauge value={r.compliance / 100} />
            </Box>
            {percent(r.compliance)}
          </Box>
        ),
    },
  ];
  const breachColumns: TableColumn<Breach>[] = [
    {
      title: 'Incident',
      render: b => {
        const to = link(b.ref);
        return to ? <Link to={to}>{b.ref}</Link> : b.ref;
      },
    },
    { title: 'Title', field: 'title' },
    { title: 'Severity', render: b => <SeverityChip severity={b.severity} /> },
    { title: 'Opened', render: b => formatTimestamp(b.openedAt) },
    {
      title: 'Acknowledged',
      render: b =>
        b.acknowledgedAt ? formatTimestamp(b.acknowledgedAt) : 'not yet',
    },
    { title: 'Late by', render: b => formatSeconds(b.lateSeconds) },
  ];
  return (
    <>
      <Typography variant="h4" component="p">
        {percent(report.overall.compliance)}
      </Typography>
      <Typography variant="body2" color="textSecondary" gutterBottom>
        acknowledged within target ({report.overall.met} met,{' '}
        {report.overall.breached} breached)
      </Typography>
      <Table<SeverityRow>
        title="By severity"
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={severityColumns}
        data={report.bySeverity}
      />
      <Box mt={2}>
        <Table<Breach>
          title={`Breaches (${report.breaches.length})`}
          options={{
            paging: report.breaches.length > 10,
            pageSize: 10,
            search: false,
            padding: 'dense',
          }}
          columns={breachColumns}
          data={report.breaches}
          emptyContent={
            <Box p={2}>
              <Typography>No breaches in this range.</Typography>
            </Box>
          }
        />
      </Box>
    </>
  );
};
