import { ReactNode } from 'react';
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
import { EntityRefLink } from '@backstage/plugin-catalog-react';
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
  PageDelivery,
} from '@vigil/plugin-incidents-common';
import { formatRelative, formatTimestamp } from '../../utils/format';
import { isLinkableActor } from '../../utils/refs';
import { EscalationTargetLabel } from '../EscalationSteps';

const Actor = ({ actor }: { actor: string }) =>
  isLinkableActor(actor) ? (
    <EntityRefLink entityRef={actor} defaultKind="user" hideIcon />
  ) : (
    <>{actor}</>
  );

const ESCALATION_STATUS: Record<
  IncidentEscalation['status'],
  (props: { children?: ReactNode }) => JSX.Element
> = {
  active: StatusRunning,
  stopped: StatusAborted,
  exhausted: StatusError,
};

const DELIVERY_STATUS: Record<
  PageDelivery['status'],
  (props: { children?: ReactNode }) => JSX.Element
> = {
  pending: StatusPending,
  sending: StatusRunning,
  sent: StatusOK,
  failed: StatusError,
};

/** `due in 3 minutes`, `fired Nov 22, 5:05 AM`, `cancelled`. */
const TimerStatus = ({ timer }: { timer: EscalationTimer }) => {
  if (timer.status === 'fired') {
    return (
      <StatusOK>fired {formatTimestamp(timer.firedAt ?? timer.dueAt)}</StatusOK>
    );
  }
  if (timer.status === 'cancelled') {
    return (
      <StatusAborted>
        cancelled (was due {formatTimestamp(timer.dueAt)})
      </StatusAborted>
    );
  }
  return (
    <StatusPending>
      due {formatRelative(timer.dueAt)} ({formatTimestamp(timer.dueAt)})
    </StatusPending>
  );
};

const Delivery = ({ delivery }: { delivery: PageDelivery }) => {
  const Status = DELIVERY_STATUS[delivery.status] ?? StatusPending;
  return (
    <Box
      component="section"
      aria-label={`Delivery by ${delivery.pagerId}`}
      mb={0.5}
    >
      <Typography variant="body2" component="div">
        <strong>{delivery.pagerId}</strong>{' '}
        <Status>
          {delivery.status}
          {delivery.sentAt && ` ${formatTimestamp(delivery.sentAt)}`}
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
              #{attempt.attempt} {formatTimestamp(attempt.at)}{' '}
              {attempt.ok ? (
                <StatusOK>ok</StatusOK>
              ) : (
                <StatusError>error: {attempt.error ?? 'failed'}</StatusError>
              )}
              {attempt.durationMs !== undefined && ` (${attempt.durationMs} ms)`}
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

const Escalation = ({ escalation }: { escalation: IncidentEscalation }) => {
  const { policy } = escalation;
  const Status = ESCALATION_STATUS[escalation.status] ?? StatusPending;
  const rounds = policy.repeat > 0;
  return (
    <Box
      component="section"
      aria-label={`Escalation ${policy.name}`}
      mb={2}
    >
      <Typography variant="h6" component="h3">
        {policy.name}{' '}
        <Typography variant="body2" component="span">
          <Status>{escalation.status}</Status>
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
                  <EscalationTargetLabel target={target} />
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
        <Table size="small" aria-label={`Pages of ${policy.name}`}>
          <TableHead>
            <TableRow>
              <TableCell>Paged</TableCell>
              <TableCell>Step</TableCell>
              <TableCell>Deliveries</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {escalation.pages.map(page => (
              <TableRow key={page.id}>
                <TableCell>
                  <Actor actor={page.recipient} />
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    display="block"
                  >
                    {formatTimestamp(page.createdAt)}
                    {page.via && ` via ${page.via}`}
                  </Typography>
                </TableCell>
                <TableCell>
                  {page.step}
                  {rounds && ` (round ${page.round + 1})`}
                </TableCell>
                <TableCell>
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

/**
 * Who was paged for an incident and how: each escalation's policy and
 * status, its steps with their timers, every page and the delivery audit
 * of each (attempts, time, ok or error).
 */
export const PagingCard = (props: {
  escalations?: IncidentEscalation[];
  error?: Error;
}) => {
  const { escalations, error } = props;
  const content = () => {
    if (error) {
      return <ResponseErrorPanel error={error} />;
    }
    if (!escalations) {
      return <Progress />;
    }
    if (escalations.length === 0) {
      return (
        <Typography variant="body2" color="textSecondary">
          Nobody has been paged for this incident.
        </Typography>
      );
    }
    return escalations.map(escalation => (
      <Escalation key={escalation.id} escalation={escalation} />
    ));
  };
  return <InfoCard title="Paging">{content()}</InfoCard>;
};
