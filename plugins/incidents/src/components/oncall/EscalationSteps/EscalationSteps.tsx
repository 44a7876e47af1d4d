import { Fragment } from 'react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import {
  EscalationPolicy,
  EscalationTarget,
} from '@vigil/plugin-incidents-common';
import { formatDuration } from '../../../utils/format';

/** Schedule ids to display names, for "on call for Payments primary". */
export type ScheduleNames = Record<string, string>;

/** Who one target of a step pages, with links to the catalog. */
export const EscalationTargetLabel = (props: {
  target: EscalationTarget;
  scheduleNames?: ScheduleNames;
}) => {
  const { target, scheduleNames } = props;
  if ('schedule' in target) {
    return (
      <span>
        on call for {scheduleNames?.[target.schedule] ?? target.schedule}
      </span>
    );
  }
  if ('user' in target) {
    return (
      <EntityRefLink entityRef={target.user} defaultKind="user" hideIcon />
    );
  }
  return (
    <span>
      members of{' '}
      <EntityRefLink entityRef={target.group} defaultKind="group" hideIcon />
    </span>
  );
};

const minutes = (value: number) => formatDuration(value * 60_000);

/**
 * A policy's steps in order: whom each pages and when, counted from the
 * first page while nobody acknowledges.
 */
export const EscalationSteps = (props: {
  policy: EscalationPolicy;
  scheduleNames?: ScheduleNames;
}) => {
  const { policy, scheduleNames } = props;
  let elapsed = 0;
  return (
    <List dense disablePadding aria-label={`Steps of ${policy.name}`}>
      {policy.steps.map((step, index) => {
        const at = elapsed;
        elapsed += step.delayMinutes;
        return (
          <ListItem key={index} disableGutters>
            <ListItemText
              primary={
                <>
                  Step {index + 1}:{' '}
                  {step.targets.map((target, i) => (
                    <Fragment key={i}>
                      {i > 0 && ', '}
                      <EscalationTargetLabel
                        target={target}
                        scheduleNames={scheduleNames}
                      />
                    </Fragment>
                  ))}
                </>
              }
              secondary={
                at === 0
                  ? 'Pages at once'
                  : `Pages after ${minutes(at)} unacknowledged`
              }
            />
          </ListItem>
        );
      })}
      {policy.repeat > 0 && (
        <ListItem disableGutters>
          <ListItemText
            secondary={`Then starts over from step 1, ${
              policy.repeat === 1 ? 'once more' : `${policy.repeat} more times`
            }.`}
          />
        </ListItem>
      )}
    </List>
  );
};
