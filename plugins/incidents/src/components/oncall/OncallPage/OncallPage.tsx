import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemSecondaryAction from '@material-ui/core/ListItemSecondaryAction';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { oncallScheduleManagePermission } from '@vigil/plugin-incidents-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentsApiRef, OncallNow, OncallSlot, Schedule } from '../../../api';
import { formatTimestamp } from '../../../utils/format';
import { formatUntil, nextDays } from '../../../utils/oncall';
import { CalendarDownloadButton } from '../CalendarDownloadButton';
import { EscalationPoliciesCard } from '../EscalationPoliciesCard';
import {
  ScheduleHandoffDialog,
  ScheduleOverrideDialog,
} from '../ScheduleDialogs';
import { ScheduleTimeline } from '../ScheduleTimeline';

/** How far ahead the hand-off table looks. */
const HANDOFF_DAYS = 14;

type HandoffRow = OncallSlot & { scheduleName: string };

const columns: TableColumn<HandoffRow>[] = [
  { title: 'Schedule', field: 'scheduleName' },
  {
    title: 'User',
    field: 'userRef',
    render: row => (
      <EntityRefLink entityRef={row.userRef} defaultKind="user" hideIcon />
    ),
  },
  {
    title: 'Start',
    field: 'start',
    render: row => formatTimestamp(row.start),
  },
  { title: 'End', field: 'end', render: row => formatTimestamp(row.end) },
  {
    title: 'Override',
    field: 'isOverride',
    render: row =>
      row.isOverride ? (
        <Chip size="small" label="Override" title={row.reason} />
      ) : (
        ''
      ),
  },
];

/** Who covers one schedule right now. */
const OncallNowCard = ({ oncall }: { oncall: OncallNow }) => (
  <InfoCard title={oncall.schedule.name}>
    <Box component="section" aria-label={`On call: ${oncall.schedule.name}`}>
      {oncall.user ? (
        <>
          <Typography variant="h6" component="div">
            <EntityRefLink entityRef={oncall.user} defaultKind="user" />
          </Typography>
          <Typography variant="body2" color="textSecondary">
            Until {formatUntil(oncall.end)}
          </Typography>
          {oncall.isOverride && (
            <Box mt={1}>
              <Chip size="small" color="secondary" label="Override" />
            </Box>
          )}
        </>
      ) : (
        <Typography variant="body2" color="textSecondary">
          Nobody is on call.
        </Typography>
      )}
    </Box>
  </InfoCard>
);

type ScheduleChange = { kind: 'override' | 'handoff'; schedule: Schedule };

/**
 * The on-call overview at `/oncall`: who is on call on every schedule, each
 * schedule's slots over the next two weeks (with override and hand-off
 * dialogs for rota managers), the hand-offs, the escalation policies and the
 * schedules' iCalendar feeds.
 */
export const OncallPage = () => {
  const api = useApi(incidentsApiRef);
  // Only a hint for showing the buttons; the backend checks again (403).
  const { allowed: canManage } = usePermission({
    permission: oncallScheduleManagePermission,
  });
  const [change, setChange] = useState<ScheduleChange>();

  const { value, loading, error, retry } = useAsyncRetry(async () => {
    const range = nextDays(HANDOFF_DAYS);
    const [oncall, schedules] = await Promise.all([
      api.getOncallNow(),
      api.listSchedules(),
    ]);
    const active = schedules.items.filter(s => s.active);
    const slots = await Promise.all(
      active.map(async (schedule: Schedule) => {
        const { items } = await api.listScheduleSlots(schedule.id, range);
        return items.map(slot => ({ ...slot, scheduleName: schedule.name }));
      }),
    );
    const handoffs: HandoffRow[] = slots
      .flat()
      .sort((a, b) => a.start.localeCompare(b.start));
    const calendar = active.map((schedule, i) => ({
      schedule,
      slots: slots[i],
    }));
    return {
      oncall: oncall.items,
      schedules: schedules.items,
      handoffs,
      calendar,
      range,
    };
  }, [api]);

  const scheduleNames = Object.fromEntries(
    (value?.schedules ?? []).map(s => [s.id, s.name]),
  );

  const content = () => {
    if (loading && !value) {
      return <Progress />;
    }
    if (error) {
      return <ResponseErrorPanel error={error} />;
    }
    const { oncall, schedules, handoffs, calendar, range } = value!;
    return (
      <>
        <Box component="section" aria-label="Currently on call" mb={3}>
          <Typography variant="h5" component="h2" gutterBottom>
            Currently on call
          </Typography>
          {oncall.length === 0 ? (
            <Typography color="textSecondary">
              No active on-call schedules.
            </Typography>
          ) : (
            <Grid container spacing={2}>
              {oncall.map(item => (
                <Grid item xs={12} sm={6} md={4} key={item.schedule.id}>
                  <OncallNowCard oncall={item} />
                </Grid>
              ))}
            </Grid>
          )}
        </Box>
        {calendar.length > 0 && (
          <Box mb={3}>
            <InfoCard
              title={`Next ${HANDOFF_DAYS} days`}
              subheader="Each schedule's shifts; overrides are hatched. Hover a shift for its times."
            >
              <Box component="section" aria-label="Schedule calendar">
                {calendar.map(({ schedule, slots }) => (
                  <Grid
                    container
                    spacing={2}
                    alignItems="flex-start"
                    key={schedule.id}
                  >
                    <Grid item xs={12} md={3}>
                      <Typography variant="subtitle1" component="h3">
                        {schedule.name}
                      </Typography>
                      <Typography variant="caption" color="textSecondary">
                        {schedule.rotation.type}, hand-off{' '}
                        {schedule.rotation.handoffTime} ({schedule.timeZone})
                      </Typography>
                      {canManage && (
                        <Box display="flex" style={{ gap: 8 }} mt={0.5}>
                          <Button
                            size="small"
                            color="primary"
                            aria-label={`Add override to ${schedule.name}`}
                            onClick={() =>
                              setChange({ kind: 'override', schedule })
                            }
                          >
                            Add override
                          </Button>
                          <Button
                            size="small"
                            color="primary"
                            aria-label={`Hand off ${schedule.name}`}
                            onClick={() =>
                              setChange({ kind: 'handoff', schedule })
                            }
                          >
                            Hand off
                          </Button>
                        </Box>
                      )}
                    </Grid>
                    <Grid item xs={12} md={9}>
                      <ScheduleTimeline
                        scheduleName={schedule.name}
                        members={schedule.members}
                        slots={slots}
                        from={range.from}
                        to={range.to}
                      />
                    </Grid>
                  </Grid>
                ))}
              </Box>
            </InfoCard>
          </Box>
        )}
        <Box mb={3}>
          <EscalationPoliciesCard scheduleNames={scheduleNames} />
        </Box>
        <Box mb={3}>
          <Table<HandoffRow>
            title={`Hand-offs in the next ${HANDOFF_DAYS} days`}
            columns={columns}
            data={handoffs}
            options={{ paging: false, search: false, padding: 'dense' }}
            emptyContent={
              <Box p={2}>
                <Typography color="textSecondary">
                  No hand-offs in the next {HANDOFF_DAYS} days.
                </Typography>
              </Box>
            }
          />
        </Box>
        {schedules.length > 0 && (
          <InfoCard title="Calendars">
            <List dense aria-label="Calendars">
              {schedules.map(schedule => (
                <ListItem key={schedule.id}>
                  <ListItemText
                    primary={schedule.name}
                    secondary={`${schedule.rotation.type} rotation, hand-off at ${schedule.rotation.handoffTime} (${schedule.timeZone})`}
                  />
                  <ListItemSecondaryAction>
                    <CalendarDownloadButton
                      label="Download iCal"
                      ariaLabel={`Download iCal of ${schedule.name}`}
                      fileName={`${schedule.id}.ics`}
                      getUrl={() => api.getCalendarUrl(schedule.id)}
                    />
                  </ListItemSecondaryAction>
                </ListItem>
              ))}
            </List>
          </InfoCard>
        )}
      </>
    );
  };

  return (
    <Page themeId="tool">
      <Header title="On-call" subtitle="Who is on call and who is next" />
      <Content>
        <ContentHeader title="On-call schedules">
          <CalendarDownloadButton
            label="My shifts (iCal)"
            fileName="my-shifts.ics"
            getUrl={() => api.getMyShiftsUrl()}
          />
        </ContentHeader>
        {content()}
        {change?.kind === 'override' && (
          <ScheduleOverrideDialog
            open
            schedule={change.schedule}
            onClose={() => setChange(undefined)}
            onAdded={retry}
          />
        )}
        {change?.kind === 'handoff' && (
          <ScheduleHandoffDialog
            open
            schedule={change.schedule}
            current={
              value?.oncall.find(o => o.schedule.id === change.schedule.id)
                ?.user
            }
            onClose={() => setChange(undefined)}
            onHandedOff={retry}
          />
        )}
      </Content>
    </Page>
  );
};
