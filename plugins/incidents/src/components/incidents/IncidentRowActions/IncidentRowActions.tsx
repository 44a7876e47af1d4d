import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { mutate } from 'swr';
import {
  AcknowledgementSource,
  allowedMoves,
  Incident,
  incidentAcknowledgePermission,
  incidentResolvePermission,
  IncidentStatus,
} from '@vigil/plugin-incidents-common';
import { incidentsApiRef } from '../../../api';
import { useRunAction } from '../../../hooks';
import { MOVE_LABELS } from '../../../utils/lifecycle';

/**
 * Acknowledge and Resolve on a row of the incident list, each shown only
 * when the incident's state allows the move and the user may make it.
 */
export const IncidentRowActions = (props: {
  incident: Incident;
  /** Called after a move attempt, successful or not, to reload. */
  onMoved: () => void;
  /** Where an acknowledgement from here is recorded as coming from. */
  source?: AcknowledgementSource;
}) => {
  const { incident, onMoved, source = 'portal' } = props;
  const api = useApi(incidentsApiRef);
  const { run, busy } = useRunAction();
  const moves = allowedMoves(incident.status);
  const canAck = moves.includes('investigating');
  const canResolve = moves.includes('resolved');
  // Decisions depend on the incident (its owners, its responder).
  const ack = usePermission({
    permission: incidentAcknowledgePermission,
    resourceRef: canAck ? incident.id : undefined,
  });
  const resolve = usePermission({
    permission: incidentResolvePermission,
    resourceRef: canResolve ? incident.id : undefined,
  });

  const move = async (status: IncidentStatus) => {
    const verb = MOVE_LABELS[status].toLocaleLowerCase('en-US');
    await run(`${verb} ${incident.ref}`, () =>
      api.moveIncident(incident.id, status, undefined, source),
    );
    // Acknowledging makes the user the responder, which may change what
    // they may do next: forget this incident's cached decisions (keyed by
    // { permission, resourceRef }). A 409 means someone else moved it
    // first: reload either way.
    mutate(key => JSON.stringify(key ?? '').includes(incident.id));
    onMoved();
  };

  const button = (status: IncidentStatus) => (
    <Button
      size="small"
      variant="outlined"
      color="primary"
      disabled={busy}
      onClick={() => move(status)}
      aria-label={`${MOVE_LABELS[status]} ${incident.ref}`}
    >
      {MOVE_LABELS[status]}
    </Button>
  );

  return (
    <Box display="flex" style={{ gap: 4 }}>
      {canAck && ack.allowed && button('investigating')}
      {canResolve && resolve.allowed && button('resolved')}
    </Box>
  );
};
