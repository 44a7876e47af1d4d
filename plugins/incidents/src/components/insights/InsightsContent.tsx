import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentsApiRef } from '../../api';
import { ChangeFailure } from './ChangeFailureCard';
import { Frequency } from './FrequencyCard';
import { InsightsFilterBar } from './InsightsFilterBar';
import { MetricCard } from './MetricCard';
import { OncallLoad } from './OncallLoadCard';
import { ResponseTimes } from './ResponseTimesCard';
import { Sla } from './SlaCard';
import { useInsightsQuery } from './useInsightsQuery';

/** Runs a metric request once the filters are ready, again when they change. */
function useMetric<T>(ready: boolean, load: () => Promise<T>, deps: unknown[]) {
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useAsyncRetry(
    async () => (ready ? load() : undefined),
    [ready, ...deps],
  );
}

/**
 * The Insights figures with their filters: response times, frequency, SLA
 * compliance, change failure and on-call load. With `entityRef`, for one
 * component (the entity page's tab).
 */
export const InsightsContent = (props: { entityRef?: string }) => {
  const api = useApi(incidentsApiRef);
  const { filters, setFilters, query, ready, noTeam } = useInsightsQuery({
    entityRef: props.entityRef,
  });
  const key = JSON.stringify(query);
  const summary = useMetric(ready, () => api.getMetricsSummary(query), [key]);
  const frequency = useMetric(
    ready,
    () => api.getMetricsFrequency({ ...query, interval: filters.interval }),
    [key, filters.interval],
  );
  const sla = useMetric(ready, () => api.getMetricsSla(query), [key]);
  const change = useMetric(ready, () => api.getMetricsChangeFailure(query), [
    key,
  ]);
  const loadQuery = {
    from: query.from,
    scheduleId: filters.scheduleId || undefined,
  };
  const load = useMetric(
    ready && !props.entityRef,
    () => api.getMetricsOncallLoad(loadQuery),
    [query.from, filters.scheduleId],
  );
  const schedules = useAsync(() => api.listSchedules(), [api]);

  return (
    <>
      <InsightsFilterBar
        filters={filters}
        onChange={setFilters}
        fixedEntity={!!props.entityRef}
      />
      {noTeam && (
        <Typography color="textSecondary" paragraph>
          You are not a member of any team in the catalog: choose an owner
          instead.
        </Typography>
      )}
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <MetricCard
            title="Response times"
            subheader="From opened; an incident that skipped a state has no value for it"
            metric="summary"
            query={query}
            state={summary}
          >
            {value => <ResponseTimes summary={value} />}
          </MetricCard>
        </Grid>
        <Grid item xs={12} lg={6}>
          <MetricCard
            title="Incident frequency"
            metric="frequency"
            query={{ ...query, interval: filters.interval }}
            state={frequency}
          >
            {value => (
              <>
                <TextField
                  id="insights-interval"
                  select
                  label="Per"
                  size="small"
                  value={filters.interval}
                  onChange={e =>
                    setFilters({ interval: e.target.value as 'week' })
                  }
                >
                  <MenuItem value="day">day</MenuItem>
                  <MenuItem value="week">ISO week</MenuItem>
                  <MenuItem value="month">month</MenuItem>
                </TextField>
                <Frequency series={value} />
              </>
            )}
          </MetricCard>
        </Grid>
        <Grid item xs={12} lg={6}>
          <MetricCard
            title="SLA compliance"
            subheader="Acknowledged within the severity's response target"
            metric="sla"
            query={query}
            state={sla}
          >
            {value => <Sla report={value} />}
          </MetricCard>
        </Grid>
        <Grid item xs={12}>
          <MetricCard
            title="Change failure"
            subheader="Incidents linked to a change or deploy, and their recovery time"
            metric="change-failure"
            query={query}
            state={change}
          >
            {value => <ChangeFailure report={value} />}
          </MetricCard>
        </Grid>
        {!props.entityRef && (
          <Grid item xs={12}>
            <MetricCard
              title="On-call load"
              subheader="Business hours on business days, off hours until 22:00, sleep hours 22:00–08:00, in each rota's time zone"
              metric="oncall-load"
              query={loadQuery}
              state={load}
            >
              {value => (
                <>
                  <Box mb={2}>
                    <TextField
                      id="insights-schedule"
                      select
                      label="Schedule"
                      size="small"
                      style={{ minWidth: 200 }}
                      SelectProps={{ displayEmpty: true }}
                      InputLabelProps={{ shrink: true }}
                      value={filters.scheduleId}
                      onChange={e => setFilters({ scheduleId: e.target.value })}
                    >
                      <MenuItem value="">All schedules</MenuItem>
                      {(schedules.value?.items ?? []).map(s => (
                        <MenuItem key={s.id} value={s.id}>
                          {s.name}
                        </MenuItem>
                      ))}
                    </TextField>
                  </Box>
                  <OncallLoad report={value} />
                </>
              )}
            </MetricCard>
          </Grid>
        )}
      </Grid>
    </>
  );
};
