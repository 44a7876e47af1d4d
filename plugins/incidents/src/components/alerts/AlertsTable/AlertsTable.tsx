import { ReactNode, useMemo } from 'react';
import { Link, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@vigil/plugin-incidents-common';
import { useIncidentLink } from '../../../hooks';
import { IncidentLabel, useIncidentRefs } from '../../../hooks/useIncidentRefs';
import { formatRelative, formatTimestamp } from '../../../utils/format';
import { titleCellStyle, withNarrowGaps } from '../../../utils/tables';
import { AlertStatusChip } from '../AlertStatusChip';
import { SeverityChip } from '../../incidents/SeverityChip';
import { DenseTable } from '../../shared/DenseTable';

const IncidentCell = (props: {
  alert: Alert;
  incident?: IncidentLabel;
  linkTo: (idOrRef: string) => string | undefined;
}) => {
  const { alert, incident, linkTo } = props;
  if (!alert.incidentId) {
    return (
      <Typography variant="body2" color="textSecondary">
        none
      </Typography>
    );
  }
  const label = incident?.ref ?? `${alert.incidentId.slice(0, 8)}…`;
  const to = linkTo(incident?.ref ?? alert.incidentId);
  const link = to ? <Link to={to}>{label}</Link> : <>{label}</>;
  return incident ? (
    <Tooltip title={incident.title}>
      <span>{link}</span>
    </Tooltip>
  ) : (
    link
  );
};

function alertColumns(options: {
  linkTo: (idOrRef: string) => string | undefined;
  incidents: Record<string, IncidentLabel>;
  hideEntity?: boolean;
  hideIncident?: boolean;
}): TableColumn<Alert>[] {
  const { linkTo, incidents, hideEntity, hideIncident } = options;
  const columns: Array<TableColumn<Alert> | false | undefined> = [
    {
      title: 'Status',
      field: 'status',
      width: '96px',
      render: alert => <AlertStatusChip status={alert.status} />,
    },
    {
      title: 'Severity',
      field: 'severity',
      width: '88px',
      render: alert => <SeverityChip severity={alert.severity} />,
    },
    {
      title: 'Title',
      field: 'title',
      width: '35%',
      cellStyle: titleCellStyle,
      render: alert => (
        <>
          <Typography variant="body2">{alert.title}</Typography>
          {alert.description && (
            <Typography variant="caption" color="textSecondary">
              {alert.description}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Source',
      field: 'source',
      cellStyle: { wordBreak: 'normal', overflowWrap: 'break-word' },
      render: alert => {
        // Breaks after the sender kind (`alertmanager:`), not inside a word.
        const [kind, ...name] = alert.source.split(':');
        return (
          <Tooltip title={`Fingerprint ${alert.fingerprint}`}>
            <span>
              {kind}
              {name.length > 0 && (
                <>
                  :<wbr />
                  {name.join(':')}
                </>
              )}
            </span>
          </Tooltip>
        );
      },
    },
    !hideEntity && {
      title: 'Component',
      field: 'entityRef',
      render: alert =>
        alert.entityRef ? (
          <EntityRefLink
            entityRef={alert.entityRef}
            defaultKind="component"
            hideIcon
          />
        ) : (
          <Typography variant="body2" color="textSecondary">
            <em>unmapped</em>
          </Typography>
        ),
    },
    !hideIncident && {
      title: 'Incident',
      field: 'incidentId',
      render: alert => (
        <IncidentCell
          alert={alert}
          incident={alert.incidentId ? incidents[alert.incidentId] : undefined}
          linkTo={linkTo}
        />
      ),
    },
    {
      title: 'Last seen',
      field: 'lastSeenAt',
      cellStyle: { whiteSpace: 'nowrap' },
      headerStyle: { whiteSpace: 'nowrap' },
      render: alert => (
        <Tooltip
          title={`Last seen ${formatTimestamp(
            alert.lastSeenAt,
          )}; firing since ${formatTimestamp(alert.firedAt)}${
            alert.resolvedAt
              ? `; resolved ${formatTimestamp(alert.resolvedAt)}`
              : ''
          }`}
        >
          <span>{formatRelative(alert.lastSeenAt)}</span>
        </Tooltip>
      ),
    },
    {
      title: 'Seen',
      field: 'seenCount',
      type: 'numeric',
      width: '64px',
      render: alert => `${alert.seenCount}×`,
    },
  ];
  return withNarrowGaps(
    columns.filter((c): c is TableColumn<Alert> => Boolean(c)),
  );
}

/**
 * Props of {@link AlertsTable}.
 */
export interface AlertsTableProps {
  alerts: Alert[];
  title?: string;
  subtitle?: string;
  /** Shows the loading state instead of the rows. */
  isLoading?: boolean;
  /** Keeps the rows, with a bar above them, while newer ones load. */
  reloading?: boolean;
  /** Hides the component column, e.g. when filtered by one. */
  hideEntity?: boolean;
  /** Hides the incident column, e.g. in the incident's own war room. */
  hideIncident?: boolean;
  emptyText?: string;
  /** Shown below the rows, right-aligned, e.g. a "Load more" button. */
  footer?: ReactNode;
}

/**
 * Alerts as the backend orders them (newest first): status, severity,
 * title, source, component, incident, when last seen and how often.
 */
export const AlertsTable = (props: AlertsTableProps) => {
  const {
    alerts,
    title = 'Alerts',
    subtitle,
    isLoading,
    reloading,
    hideEntity,
    hideIncident,
    emptyText = 'No alerts.',
    footer,
  } = props;
  const linkTo = useIncidentLink();
  const incidents = useIncidentRefs(
    hideIncident ? [] : alerts.map(alert => alert.incidentId),
    alerts,
  );
  const columns = useMemo(
    () => alertColumns({ linkTo, incidents, hideEntity, hideIncident }),
    [linkTo, incidents, hideEntity, hideIncident],
  );
  return (
    <DenseTable<Alert>
      title={title}
      subtitle={subtitle}
      columns={columns}
      data={alerts}
      isLoading={isLoading}
      reloading={reloading}
      emptyText={emptyText}
      footer={footer}
    />
  );
};
