import { useState } from 'react';
import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Link,
  Page,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  Maintenance,
  statusPageMaintenancePermission,
  StatusPageOverview,
} from '@vigil/plugin-incidents-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { LoadError } from '../../shared/LoadError';
import { LoadingSkeleton } from '../../shared/LoadingSkeleton';
import { incidentsApiRef } from '../../../api';
import { useIncidentSignals, useRunAction } from '../../../hooks';
import { rootRouteRef } from '../../../routes';
import { formatTimestamp } from '../../../utils/format';
import { ComponentStatusChip } from '../ComponentStatusChip';
import { MaintenanceDialog } from './MaintenanceDialog';

type Component = StatusPageOverview['components'][number];

const BANNER: Record<string, string> = {
  none: '#1b7f3b',
  minor: '#8a6100',
  major: '#b34700',
  critical: '#b3261e',
  maintenance: '#1f5fa8',
};

const componentColumns: TableColumn<Component>[] = [
  { title: 'Component', field: 'name' },
  { title: 'Group', field: 'group', render: c => c.group ?? '—' },
  {
    title: 'Status',
    field: 'status',
    render: c => <ComponentStatusChip status={c.status} />,
  },
  {
    title: 'Uptime (90 days)',
    field: 'uptimePercent',
    render: c => `${c.uptimePercent}%`,
  },
];

const NEXT: Record<string, Maintenance['status'] | undefined> = {
  scheduled: 'in_progress',
  in_progress: 'completed',
  verifying: 'completed',
};

const MaintenanceList = (props: {
  items: Maintenance[];
  names: Map<string, string>;
  canChange: boolean;
  onChange: () => void;
}) => {
  const api = useApi(incidentsApiRef);
  const { run, busy } = useRunAction();
  if (props.items.length === 0) {
    return (
      <Typography color="textSecondary">No maintenance scheduled.</Typography>
    );
  }
  return (
    <ul
      aria-label="Maintenance windows"
      style={{ listStyle: 'none', margin: 0, padding: 0 }}
    >
      {props.items.map(m => {
        const next = NEXT[m.status];
        return (
          <li
            key={m.id}
            style={{
              padding: '8px 0',
              borderTop: '1px solid rgba(0,0,0,0.12)',
            }}
          >
            <Box
              display="flex"
              justifyContent="space-between"
              alignItems="center"
              flexWrap="wrap"
            >
              <Typography variant="subtitle1">{m.name}</Typography>
              <ComponentStatusChip status={m.status} />
            </Box>
            <Typography variant="body2" color="textSecondary">
              {formatTimestamp(m.scheduledFor)} –{' '}
              {formatTimestamp(m.scheduledUntil)} ·{' '}
              {m.components.map(c => props.names.get(c) ?? c).join(', ')}
            </Typography>
            {props.canChange && next && (
              <Button
                size="small"
                disabled={busy}
                onClick={async () => {
                  if (
                    await run('move the maintenance', () =>
                      api.updateMaintenance(m.id, { status: next }),
                    )
                  ) {
                    props.onChange();
                  }
                }}
              >
                {next === 'in_progress' ? 'Start now' : 'Complete'}
              </Button>
            )}
          </li>
        );
      })}
    </ul>
  );
};

/**
 * The public status page as people in the portal see it
 * (`/incidents/status-page`): its status, each component's status and
 * uptime, maintenance windows, and a form to schedule one.
 */
export const StatusPagePage = () => {
  const api = useApi(incidentsApiRef);
  const listLink = useRouteRef(rootRouteRef);
  const overview = useAsyncRetry(() => api.getStatusPage(), [api]);
  const maintenances = useAsyncRetry(() => api.listMaintenances(), [api]);
  const { allowed: canMaintain } = usePermission({
    permission: statusPageMaintenancePermission,
  });
  const [scheduling, setScheduling] = useState(false);
  const refresh = () => {
    overview.retry();
    maintenances.retry();
  };
  useIncidentSignals(() => overview.retry());
  const value = overview.value;
  const names = new Map(
    (value?.components ?? []).map(c => [c.entityRef, c.name]),
  );
  return (
    <Page themeId="tool">
      <Header title="Status page" type="Incidents" typeLink={listLink()} />
      <Content>
        <ContentHeader title={value?.name ?? 'Status page'}>
          {value?.enabled && (
            <Box display="flex" style={{ gap: 8 }}>
              <Link to={value.pageUrl} target="_blank" rel="noopener">
                Open the public page
              </Link>
              {canMaintain && (
                <Button
                  variant="contained"
                  color="primary"
                  onClick={() => setScheduling(true)}
                >
                  Schedule maintenance
                </Button>
              )}
            </Box>
          )}
        </ContentHeader>
        {overview.error && (
          <LoadError
            error={overview.error}
            title="Could not load the status page"
            onRetry={overview.retry}
          />
        )}
        {!value && !overview.error && (
          <LoadingSkeleton variant="cards" label="Loading the status page" />
        )}
        {value && !value.enabled && (
          <Typography>
            The status page is not enabled; configure{' '}
            <code>incidents.statusPage</code> in app-config.
          </Typography>
        )}
        {value?.enabled && (
          <Grid container spacing={3}>
            <Grid item xs={12}>
              <Box
                role="status"
                p={2}
                borderRadius={8}
                style={{
                  background: BANNER[value.indicator] ?? BANNER.minor,
                  color: '#fff',
                }}
              >
                <Typography variant="h6" component="p">
                  {value.description}
                </Typography>
              </Box>
            </Grid>
            <Grid item xs={12} md={7}>
              <Table<Component>
                title="Components"
                options={{ paging: false, search: false, padding: 'dense' }}
                columns={componentColumns}
                data={value.components}
              />
            </Grid>
            <Grid item xs={12} md={5}>
              <InfoCard title="Maintenance">
                {maintenances.error ? (
                  <LoadError
                    error={maintenances.error}
                    title="Could not list maintenance"
                    onRetry={maintenances.retry}
                  />
                ) : (
                  <MaintenanceList
                    items={maintenances.value ?? []}
                    names={names}
                    canChange={canMaintain}
                    onChange={refresh}
                  />
                )}
              </InfoCard>
            </Grid>
          </Grid>
        )}
        {value?.enabled && (
          <MaintenanceDialog
            open={scheduling}
            components={value.components}
            onClose={() => setScheduling(false)}
            onScheduled={refresh}
          />
        )}
      </Content>
    </Page>
  );
};
