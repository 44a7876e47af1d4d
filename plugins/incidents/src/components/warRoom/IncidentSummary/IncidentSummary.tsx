import {
  InfoCard,
  Link,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLinks } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { Incident } from '@vigil/plugin-incidents-common';
import useAsync from 'react-use/esm/useAsync';
import { incidentsApiRef } from '../../../api';
import { useIncidentLink } from '../../../hooks';
import { formatTimestamp, incidentDuration } from '../../../utils/format';
import { ChildCountChip } from '../../incidents/ChildCountChip';
import { IncidentStatusLabel } from '../../incidents/IncidentStatusLabel';
import { SeverityChip } from '../../incidents/SeverityChip';
import { ExternalLink } from '../../shared/ExternalLink';
import { PersonName } from '../../shared/PersonName';
import { RefText } from '../../shared/RefText';

const MILESTONES: Array<[keyof Incident, string]> = [
  ['openedAt', 'Opened'],
  ['acknowledgedAt', 'Acknowledged'],
  ['identifiedAt', 'Cause identified'],
  ['mitigatedAt', 'Mitigated'],
  ['resolvedAt', 'Resolved'],
  ['cancelledAt', 'Cancelled'],
  ['postmortemAt', 'Postmortem started'],
];

const ParentLink = (props: { parentId: string }) => {
  const api = useApi(incidentsApiRef);
  const linkTo = useIncidentLink();
  // The incident only knows its parent's id; its reference reads better.
  const { value: parent } = useAsync(
    () => api.getIncident(props.parentId),
    [api, props.parentId],
  );
  const label = parent ? `${parent.ref}: ${parent.title}` : 'parent incident';
  const to = linkTo(props.parentId);
  return to ? <Link to={to}>{label}</Link> : <>{label}</>;
};

/**
 * The war room's overview: severity, status, milestones, duration, change,
 * parent, services and environments.
 */
export const IncidentSummary = (props: { incident: Incident }) => {
  const { incident } = props;
  const metadata: Record<string, unknown> = {
    Severity: <SeverityChip severity={incident.severity} />,
    Status: <IncidentStatusLabel status={incident.status} />,
  };
  for (const [field, label] of MILESTONES) {
    if (incident[field]) {
      metadata[label] = formatTimestamp(incident[field] as string);
    }
  }
  metadata.Duration = incidentDuration(incident);
  metadata['Opened by'] = <PersonName actor={incident.openedBy} />;
  if (incident.responder) {
    metadata['Acknowledged by'] = <PersonName actor={incident.responder} />;
  }
  if (incident.change) {
    metadata.Change = (
      <ExternalLink url={incident.change.url}>
        {incident.change.title ?? incident.change.url}
        {incident.change.source ? ` (${incident.change.source})` : ''}
      </ExternalLink>
    );
  }
  if (incident.parentId) {
    metadata['Merged into'] = <ParentLink parentId={incident.parentId} />;
  }
  if (incident.childCount > 0) {
    metadata.Children = <ChildCountChip incident={incident} />;
  }
  metadata['Affected services'] = incident.affectedServices.length ? (
    <EntityRefLinks
      entityRefs={incident.affectedServices}
      defaultKind="component"
    />
  ) : (
    'none'
  );
  metadata.Environments = incident.environments.length ? (
    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
      {incident.environments.map(env => (
        <Chip key={env} size="small" label={env} />
      ))}
    </Box>
  ) : (
    'none'
  );
  if (incident.ownerGroups.length) {
    metadata['Owning teams'] = (
      <EntityRefLinks entityRefs={incident.ownerGroups} defaultKind="group" />
    );
  }

  return (
    <InfoCard title="Summary">
      {incident.description && (
        <Typography paragraph style={{ whiteSpace: 'pre-wrap' }}>
          <RefText text={incident.description} />
        </Typography>
      )}
      <StructuredMetadataTable
        metadata={metadata}
        options={{ titleFormat: (key: string) => key }}
      />
    </InfoCard>
  );
};
