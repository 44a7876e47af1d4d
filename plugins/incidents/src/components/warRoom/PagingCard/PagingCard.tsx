import { ReactNode } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  EscalationTimer,
  IncidentEscalation,
  ChatPost,
  PageDelivery,
} from '@vigil/plugin-incidents-common';
import { DateTime } from 'luxon';
import useAsync from 'react-use/esm/useAsync';
import { incidentsApiRef } from '../../../api';
import { formatRelative, formatTimestamp } from '../../../utils/format';
import { EscalationTargetLabel } from '../../oncall/EscalationSteps';
import { PersonName } from '../../shared/PersonName';
import { ScheduleNames } from '../../oncall/EscalationSteps/EscalationSteps';

/** `8:17:03 AM`: attempts are seconds apart, and the day is shown above. */
function formatTime(iso: string): string {
  const date = DateTime.fromISO(iso);
  return date.isValid ? date.toLocaleString(DateTime.TIME_WITH_SECONDS) : iso;
}

/** Why a page went to its recipient, from the step target that named them. */
function describeVia(via: string, scheduleNames: ScheduleNames): string {
  const [kind, ...rest] = via.split(':');
  const value = rest.join(':');
  if (kind === 'schedule') {
    return `on call for ${scheduleNames[value] ?? value}`;
  }
  if (kind === 'group') {
    try {
      return `member of ${parseEntityRef(via).name}`;
    } catch {
      return `member of ${value}`;
    }
  }
  if (kind === 'user') {
    return 'named by the step';
  }
  return via;
}

const Actor = ({ actor }: { actor: string }) => <PersonName actor={actor} />;

type StatusIcon = (props: { children?: ReactNode }) => JSX.Element;

/**
 * Backstage's status icon followed by text, inline. The icons hide
 * themselves from assistive technology; the text stays readable.
 */
const Status = (props: { icon: StatusIcon; children: ReactNode }) => {
  const { icon: Icon, children } = props;
  return (
    <Box component="span" display="inline-flex" alignItems="baseline">
      <Icon />
      <span>{children}</span>
    </Box>
  );
};

const ESCALATION_STATUS: Record<IncidentEscalation['status'], StatusIcon> = {
  active: StatusRunning,
  stopped: StatusAborted,
  exhausted: StatusError,
};

const DELIVERY_STATUS: Record<PageDelivery['status'], StatusIcon> = {
  pending: StatusPending,
  sending: StatusRunning,
  sent: StatusOK,
  failed: StatusError,
};

/** `due in 3 minutes`, `fired Nov 22, 5:05 AM`, `cancelled`. */
const TimerStatus = ({ timer }: { timer: EscalationTimer }) => {
  if (timer.status === 'fired') {
    return (
      <Status icon={StatusOK}>
        fired {formatTimestamp(timer.firedAt ?? timer.dueAt)}
      </Status>
    );
  }
  if (timer.status === 'cancelled') {
    return (
      <Status icon={StatusAborted}>
        cancelled (was due {formatTimestamp(timer.dueAt)})
      </Status>
    );
  }
  return (
    <Status icon={StatusPending}>
      due {formatRelative(timer.dueAt)} ({formatTimestamp(timer.dueAt)})
    </Status>
  );
};

const Delivery = ({ delivery }: { delivery: PageDelivery }) => {
  const icon = DELIVERY_STATUS[delivery.status] ?? StatusPending;
  return (
    <Box
      component="section"
      aria-label={`Delivery by ${delivery.pagerId}`}
      mb={0.5}
    >
      <Typography variant="body2" component="div">
        <strong>{delivery.pagerId}</strong>{' '}
        <Status icon={icon}>
          {delivery.status}
          {delivery.sentAt && ` ${formatTime(delivery.sentAt)}`}
        </Status>
      </Typography>
      {delivery.attempts.length > 0 && (
        <Box
          component="ol"
          m={0}
          pl={2.5}
          aria-label={`Attempts of ${delivery.pagerId}`}
        >
          {delivery.attempts.map(attempt => (
            <Typography
              component="li"
              variant="caption"
              display="block"
              key={attempt.attempt}
            >
              #{attempt.attempt} {formatTime(attempt.at)}{' '}
              {attempt.ok ? (
                <Status icon={StatusOK}>ok</Status>
              ) : (
                <Status icon={StatusError}>
                  error: {attempt.error ?? 'failed'}
                </Status>
              )}
              {attempt.durationMs !== undefined &&
                ` (${attempt.durationMs} ms)`}
            </Typography>
          ))}
        </Box>
      )}
      {delivery.nextAttemptAt && delivery.status !== 'sent' && (
        <Typography variant="caption" color="textSecondary" display="block">
          Next attempt {formatRelative(delivery.nextAttemptAt)}
        </Typography>
      )}
    </Box>
  );
};

const Escalation = (props: {
  escalation: IncidentEscalation;
  scheduleNames: ScheduleNames;
}) => {
  const { escalation, scheduleNames } = props;
  const { policy } = escalation;
  const statusIcon = ESCALATION_STATUS[escalation.status] ?? StatusPending;
  const rounds = policy.repeat > 0;
  return (
    <Box component="section" aria-label={`Escalation ${policy.name}`} mb={2}>
      <Typography variant="h6" component="h3">
        {policy.name}{' '}
        <Typography variant="body2" component="span">
          <Status icon={statusIcon}>{escalation.status}</Status>
        </Typography>
      </Typography>
      <Typography variant="body2" color="textSecondary">
        Started {formatRelative(escalation.startedAt)}
        {escalation.stoppedAt && (
          <>
            ; {escalation.status === 'exhausted' ? 'ended' : 'stopped'}{' '}
            {formatRelative(escalation.stoppedAt)}
            {escalation.stoppedBy && (
              <>
                {' '}
                by <Actor actor={escalation.stoppedBy} />
              </>
            )}
          </>
        )}
        {escalation.stopReason && `: ${escalation.stopReason}`}
      </Typography>

      <Box
        component="ol"
        pl={2.5}
        my={1}
        aria-label={`Steps of ${policy.name}`}
      >
        {policy.steps.map((step, index) => {
          const timers = escalation.timers.filter(t => t.step === index + 1);
          return (
            <Typography component="li" variant="body2" key={index}>
              {step.targets.map((target, i) => (
                <span key={i}>
                  {i > 0 && ', '}
                  <EscalationTargetLabel
                    target={target}
                    scheduleNames={scheduleNames}
                  />
                </span>
              ))}
              {timers.length === 0 ? (
                <Typography
                  variant="caption"
                  color="textSecondary"
                  display="block"
                >
                  not reached
                </Typography>
              ) : (
                timers.map(timer => (
                  <Typography
                    variant="caption"
                    display="block"
                    key={`${timer.round}-${timer.step}`}
                  >
                    {rounds && `Round ${timer.round + 1}: `}
                    <TimerStatus timer={timer} />
                  </Typography>
                ))
              )}
            </Typography>
          );
        })}
      </Box>

      {escalation.pages.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          Nobody paged yet.
        </Typography>
      ) : (
        <Table
          size="small"
          aria-label={`Pages of ${policy.name}`}
          // Fixed columns wrap long text instead of widening the card.
          style={{ tableLayout: 'fixed', width: '100%' }}
        >
          <TableHead>
            <TableRow>
              <TableCell>Paged</TableCell>
              <TableCell>Deliveries</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {escalation.pages.map(page => (
              <TableRow key={page.id}>
                <TableCell style={{ overflowWrap: 'anywhere' }}>
                  <Actor actor={page.recipient} />
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    display="block"
                  >
                    Step {page.step}
                    {rounds && ` (round ${page.round + 1})`},{' '}
                    {formatTimestamp(page.createdAt)}
                    {page.via && `, ${describeVia(page.via, scheduleNames)}`}
                  </Typography>
                </TableCell>
                <TableCell style={{ overflowWrap: 'anywhere' }}>
                  {page.deliveries.length === 0 ? (
                    <Typography variant="caption" color="textSecondary">
                      No pager accepted it
                    </Typography>
                  ) : (
                    page.deliveries.map(delivery => (
                      <Delivery key={delivery.pagerId} delivery={delivery} />
                    ))
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
};

/** Chat posts (Slack, Teams) about the incident, each with its deliveries. */
const ChatPosts = ({ posts }: { posts: ChatPost[] }) => (
  <Box component="section" aria-label="Chat posts" mt={2}>
    <Typography variant="h6" component="h3">
      Chat posts
    </Typography>
    <Table size="small" aria-label="Chat posts" style={{ width: '100%' }}>
      <TableHead>
        <TableRow>
          <TableCell>Post</TableCell>
          <TableCell>Delivery</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {posts.map((post, i) => (
          <TableRow key={`${post.channelId}-${post.createdAt}-${i}`}>
            <TableCell style={{ overflowWrap: 'anywhere' }}>
              {post.event ?? 'post'}
              <Typography
                variant="caption"
                color="textSecondary"
                display="block"
              >
                {formatTimestamp(post.createdAt)}
              </Typography>
            </TableCell>
            <TableCell style={{ overflowWrap: 'anywhere' }}>
              <Delivery delivery={post.delivery} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  </Box>
);

/**
 * Who was paged for an incident and how: each escalation's policy and
 * status, its steps with their timers, every page and the delivery audit
 * of each (attempts, time, ok or error).
 */
export const PagingCard = (props: {
  escalations?: IncidentEscalation[];
  /** Posts about the incident to chat channels, with their deliveries. */
  chatPosts?: ChatPost[];
  error?: Error;
}) => {
  const { escalations, chatPosts = [], error } = props;
  const api = useApi(incidentsApiRef);
  // Only for naming schedules; ids show when this fails.
  const { value: scheduleNames = {} } = useAsync(async () => {
    const { items } = await api.listSchedules();
    return Object.fromEntries(items.map(s => [s.id, s.name]));
  }, [api]);
  const content = () => {
    if (error) {
      return <ResponseErrorPanel error={error} />;
    }
    if (!escalations) {
      return <Progress />;
    }
    const chat = chatPosts.length > 0 && <ChatPosts posts={chatPosts} />;
    if (escalations.length === 0) {
      return (
        <>
          <Typography variant="body2" color="textSecondary">
            Nobody has been paged for this incident.
          </Typography>
          {chat}
        </>
      );
    }
    return (
      <>
        {escalations.map(escalation => (
          <Escalation
            key={escalation.id}
            escalation={escalation}
            scheduleNames={scheduleNames}
          />
        ))}
        {chat}
      </>
    );
  };
  return <InfoCard title="Paging">{content()}</InfoCard>;
};
