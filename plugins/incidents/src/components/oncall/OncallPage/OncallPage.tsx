import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useState } from 'react';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import { oncallScheduleManagePermission } from '@vigil/plugin-incidents-common';
import { DateTime } from 'luxon';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentsApiRef, OncallNow, OncallSlot, Schedule } from '../../../api';
import { useCatalogUsers } from '../../../hooks';
import { formatTimestamp } from '../../../utils/format';
import {
  formatUntil,
  Handoff,
  handoffsOf,
  nextShiftOf,
  personColor,
  personColors,
} from '../../../utils/oncall';
import { PersonName } from '../../shared/PersonName';
import { CalendarDownloadButton } from '../CalendarDownloadButton';
import { CalendarSubscribe } from '../CalendarSubscribe';
import { EscalationPoliciesCard } from '../EscalationPoliciesCard';
import {
  ScheduleHandoffDialog,
  ScheduleHistoryDialog,
  ScheduleOverrideDialog,
  ScheduleSwapDialog,
} from '../ScheduleDialogs';
import { SwapRequests } from '../SwapRequests';
import { ScheduleTimeline } from '../ScheduleTimeline';

/** How many days the timeline shows, from the start of today. */
const DAYS = 14;
/** Hand-offs shown per schedule before "Show more". */
const HANDOFFS_SHOWN = 3;

/** The range the page shows: today's start until DAYS later. */
function pageRange(now: DateTime) {
  const from = now.startOf('day');
  return { from: from.toISO()!, to: from.plus({ days: DAYS }).toISO()! };
}

/** A schedule's upcoming hand-offs, the next few first, the rest on request. */
const HandoffList = (props: { scheduleName: string; handoffs: Handoff[] }) => {
  const { scheduleName, handoffs } = props;
  const [expanded, setExpanded] = useState(false);
  if (handoffs.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No hand-offs in the next {DAYS} days.
      </Typography>
    );
  }
  const shown = expanded ? handoffs : handoffs.slice(0, HANDOFFS_SHOWN);
  const more = handoffs.length - HANDOFFS_SHOWN;
  return (
    <Box>
      <Box
        component="ol"
        aria-label={`Next hand-offs of ${scheduleName}`}
        m={0}
        pl={0}
        style={{ listStyle: 'none' }}
      >
        {shown.map(h => (
          <Box component="li" key={h.at} py={0.25}>
            <Typography variant="body2">
              <strong>{formatTimestamp(h.at)}</strong>:{' '}
              {h.from ? <PersonName actor={h.from} /> : 'nobody'} →{' '}
              {h.to ? <PersonName actor={h.to} /> : 'nobody'}
            </Typography>
          </Box>
        ))}
      </Box>
      {more > 0 && (
        <Button
          size="small"
          onClick={() => setExpanded(!expanded)}
          aria-expanded={expanded}
        >
          {expanded ? 'Show fewer' : `Show ${more} more`}
        </Button>
      )}
    </Box>
  );
};

/** Who covers one schedule right now. */
const OncallNowCard = ({ oncall }: { oncall: OncallNow }) => (
  <InfoCard title={oncall.schedule.name}>
    <Box component="section" aria-label={`On call: ${oncall.schedule.name}`}>
      {oncall.user ? (
        <>
          <Typography variant="h6" component="div">
            <PersonName actor={oncall.user} />
          </Typography>
          <Typography variant="body2" color="textSecondary">
            Until {formatUntil(oncall.end)}
          </Typography>
          {oncall.isOverride && (
            <Box mt={1}>
              <Chip size="small" variant="outlined" label="Override" />
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

type ScheduleChange =
  | { kind: 'override' | 'handoff' | 'history'; schedule: Schedule }
  | { kind: 'swap'; schedule: Schedule; slot: OncallSlot };

/**
 * The on-call overview at `/oncall`: the signed-in user's next shift, who
 * is on call on every schedule, each schedule's timeline over two weeks (a
 * now line, one colour per person, slot details on click or tap; override
 * and hand-off dialogs for rota managers) with its next hand-offs, the
 * escalation policies, and calendar subscriptions and downloads.
 */
export const OncallPage = () => {
  const api = useApi(incidentsApiRef);
  // Only a hint for showing the buttons; the backend checks again (403).
  const { allowed: canManage } = usePermission({
    permission: oncallScheduleManagePermission,
  });
  const [change, setChange] = useState<ScheduleChange>();

  const identityApi = useApi(identityApiRef);
  const { value: me } = useAsync(
    async () => (await identityApi.getBackstageIdentity()).userEntityRef,
    [identityApi],
  );
  const { nameOf } = useCatalogUsers();

  const { value, loading, error, retry } = useAsyncRetry(async () => {
    const now = DateTime.now();
    const range = pageRange(now);
    const [oncall, schedules, swaps] = await Promise.all([
      api.getOncallNow(),
      api.listSchedules(),
      api.listMySwaps(),
    ]);
    const active = schedules.items.filter(s => s.active);
    const slots = await Promise.all(
      active.map(async (schedule: Schedule) => {
        const { items } = await api.listScheduleSlots(schedule.id, range);
        return items;
      }),
    );
    const calendar = active.map((schedule, i) => ({
      schedule,
      slots: slots[i],
      handoffs: handoffsOf(slots[i], now.toISO()!),
    }));
    return {
      oncall: oncall.items,
      schedules: schedules.items,
      swaps: swaps.items,
      calendar,
      range,
      now: now.toISO()!,
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
    const { oncall, schedules, swaps, calendar, range, now } = value!;
    const next = me ? nextShiftOf(me, calendar, now) : undefined;
    const colors = personColors(
      calendar.flatMap(c => c.slots.map(slot => slot.userRef)),
    );
    const colorOf = (ref: string) => colors.get(ref) ?? personColor(ref);
    return (
      <>
        {me && (
          <Box mb={2} component="section" aria-label="Your next shift">
            {next ? (
              <Alert severity="info" icon={false}>
                <strong>
                  {Date.parse(next.start) <= Date.parse(now)
                    ? "You're on call now"
                    : "You're on call next"}
                  : {next.scheduleName}
                </strong>{' '}
                {Date.parse(next.start) <= Date.parse(now)
                  ? `until ${formatTimestamp(next.end)}`
                  : `from ${formatTimestamp(next.start)} to ${formatTimestamp(
                      next.end,
                    )}`}
              </Alert>
            ) : (
              <Typography variant="body2" color="textSecondary">
                You have no shifts in the next {DAYS} days.
              </Typography>
            )}
          </Box>
        )}
        {me && (
          <SwapRequests
            me={me}
            swaps={swaps}
            scheduleNames={scheduleNames}
            onChanged={retry}
          />
        )}
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
              title={`Next ${DAYS} days`}
              subheader="One colour per person; overrides are hatched. Click or tap a shift for its details."
            >
              <Box component="section" aria-label="Schedule calendar">
                {calendar.map(({ schedule, slots, handoffs }) => (
                  <Grid
                    container
                    spacing={2}
                    alignItems="flex-start"
                    key={schedule.id}
                    style={{ marginBottom: 16 }}
                  >
                    <Grid item xs={12} md={3}>
                      <Typography variant="subtitle1" component="h3">
                        {schedule.name}
                      </Typography>
                      <Typography variant="caption" color="textSecondary">
                        {schedule.rotation.type}, hand-off{' '}
                        {schedule.rotation.handoffTime} ({schedule.timeZone})
                      </Typography>
                      <Box
                        display="flex"
                        flexWrap="wrap"
                        style={{ gap: 8 }}
                        mt={0.5}
                      >
                        <Button
                          size="small"
                          aria-label={`History of ${schedule.name}`}
                          onClick={() =>
                            setChange({ kind: 'history', schedule })
                          }
                        >
                          History
                        </Button>
                        {canManage && (
                          <>
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
                          </>
                        )}
                      </Box>
                    </Grid>
                    <Grid item xs={12} md={9}>
                      <Box pt={2.5}>
                        <ScheduleTimeline
                          scheduleName={schedule.name}
                          slots={slots}
                          from={range.from}
                          to={range.to}
                          now={now}
                          nameOf={nameOf}
                          colorOf={colorOf}
                          actions={(slot, close) =>
                            me &&
                            slot.userRef === me &&
                            Date.parse(slot.end) > Date.parse(now) &&
                            schedule.members.includes(me) ? (
                              <Button
                                size="small"
                                color="primary"
                                variant="outlined"
                                onClick={() => {
                                  close();
                                  setChange({ kind: 'swap', schedule, slot });
                                }}
                              >
                                Offer this shift
                              </Button>
                            ) : null
                          }
                        />
                      </Box>
                      <Box mt={1}>
                        <Typography variant="subtitle2" component="h4">
                          Next hand-offs
                        </Typography>
                        <HandoffList
                          scheduleName={schedule.name}
                          handoffs={handoffs}
                        />
                      </Box>
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
        <InfoCard
          title="Calendars"
          subheader="Subscribe in a calendar app (a secret webcal:// link, kept up to date) or download a copy."
        >
          <Box component="ul" aria-label="Calendars" m={0} p={0}>
            {[
              { id: undefined, name: 'My shifts', detail: 'Every schedule' },
              ...schedules.map(s => ({
                id: s.id,
                name: s.name,
                detail: `${s.rotation.type} rotation, hand-off at ${s.rotation.handoffTime} (${s.timeZone})`,
              })),
            ].map(feed => (
              <Box
                component="li"
                key={feed.id ?? 'mine'}
                display="flex"
                flexWrap="wrap"
                alignItems="center"
                py={1}
                style={{ gap: 8, listStyle: 'none' }}
              >
                <Box flex="1 1 200px" minWidth={0}>
                  <Typography variant="body1">{feed.name}</Typography>
                  <Typography variant="caption" color="textSecondary">
                    {feed.detail}
                  </Typography>
                </Box>
                <Box flex="1 1 260px" minWidth={0}>
                  <CalendarSubscribe scheduleId={feed.id} name={feed.name} />
                </Box>
                <CalendarDownloadButton
                  label="Download"
                  ariaLabel={`Download iCal of ${feed.name}`}
                  fileName={`${feed.id ?? 'my-shifts'}.ics`}
                  getUrl={() =>
                    feed.id ? api.getCalendarUrl(feed.id) : api.getMyShiftsUrl()
                  }
                />
              </Box>
            ))}
          </Box>
        </InfoCard>
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
        {change?.kind === 'swap' && me && (
          <ScheduleSwapDialog
            open
            schedule={change.schedule}
            slot={change.slot}
            me={me}
            nameOf={nameOf}
            onClose={() => setChange(undefined)}
            onProposed={retry}
          />
        )}
        {change?.kind === 'history' && (
          <ScheduleHistoryDialog
            schedule={change.schedule}
            onClose={() => setChange(undefined)}
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
