import { Link, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import {
  Incident,
  INCIDENT_SORT_FIELDS,
  IncidentSortField,
} from '@vigil/plugin-incidents-common';
import { ChildCountChip } from '../ChildCountChip';
import { PersonName } from '../../shared/PersonName';
import { RefText } from '../../shared/RefText';
import { IncidentRowActions } from '../IncidentRowActions';
import { SeverityChip } from '../SeverityChip';
import { IncidentStatusLabel } from '../IncidentStatusLabel';
import {
  formatRelative,
  formatTimestamp,
  incidentDuration,
  incidentEnd,
} from '../../../utils/format';
import { titleCellStyle, withNarrowGaps } from '../../../utils/tables';

/** The server sorts; the table must keep the order it was given. */
const keepServerOrder = () => 0;

/** The API sort field behind a column, if the API can sort by it. */
export function sortFieldOf(
  column: TableColumn<Incident> | undefined,
): IncidentSortField | undefined {
  const field = column?.field as IncidentSortField | undefined;
  return field && INCIDENT_SORT_FIELDS.includes(field) ? field : undefined;
}

export function incidentColumns(options: {
  linkTo: (idOrRef: string) => string | undefined;
  sort: { field: IncidentSortField; order: 'asc' | 'desc' };
  /** Reloads the list after a row's Acknowledge or Resolve. */
  onMoved: () => void;
  /** A phone: only what triage needs (no assignee, services, age). */
  compact?: boolean;
}): TableColumn<Incident>[] {
  const { linkTo, sort, onMoved, compact = false } = options;
  const sortable = (field: IncidentSortField) => ({
    field,
    customSort: keepServerOrder,
    defaultSort: sort.field === field ? sort.order : undefined,
  });
  const unsortable = { sorting: false };
  // Text wraps between words, and inside a word only when the word alone is
  // wider than its column; chips never wrap. (Backstage's table breaks words
  // anywhere, which let the table squeeze the title column and split
  // "Resolved" or a title mid-word.)
  const wrapWords = {
    cellStyle: {
      wordBreak: 'normal' as const,
      overflowWrap: 'break-word' as const,
    },
  };
  // The title gets the most room.
  const titleCell = {
    width: '40%',
    cellStyle: compact ? { ...titleCellStyle, minWidth: 120 } : titleCellStyle,
  };
  const refLink = (incident: Incident) => {
    const to = linkTo(incident.ref);
    return to ? <Link to={to}>{incident.ref}</Link> : incident.ref;
  };
  const noWrap = { cellStyle: { whiteSpace: 'nowrap' as const } };
  // The table gives every column an equal share unless told otherwise; the
  // short ones take what their content needs and leave the rest to the
  // title, assignee and services.
  const fitContent = { width: '1%' };

  const columns: TableColumn<Incident>[] = [
    {
      title: 'ID',
      // on a phone the reference leads the title instead
      hidden: compact,
      ...fitContent,
      field: 'ref',
      ...unsortable,
      ...noWrap,
      render: refLink,
    },
    {
      title: 'Title',
      ...sortable('title'),
      ...titleCell,
      render: incident => (
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 8 }}
        >
          <span>
            {compact && (
              <>
                <SeverityChip severity={incident.severity} />{' '}
                {refLink(incident)}{' '}
              </>
            )}
            <RefText text={incident.title} />
          </span>
          <ChildCountChip incident={incident} />
        </Box>
      ),
    },
    {
      title: 'Severity',
      // on a phone the chip leads the title instead
      hidden: compact,
      ...fitContent,
      ...sortable('severity'),
      ...noWrap,
      render: incident => <SeverityChip severity={incident.severity} />,
    },
    {
      title: 'Status',
      ...fitContent,
      ...sortable('status'),
      ...wrapWords,
      // On a phone the row's actions sit under the state: a column of
      // their own pushed Acknowledge past the screen's edge at 390 px.
      render: incident =>
        compact ? (
          <Box display="flex" flexDirection="column" style={{ gap: 4 }}>
            <IncidentStatusLabel status={incident.status} />
            <IncidentRowActions incident={incident} onMoved={onMoved} />
          </Box>
        ) : (
          <IncidentStatusLabel status={incident.status} />
        ),
    },
    {
      // Acknowledge / Resolve next to the state they change.
      title: 'Actions',
      hidden: compact,
      ...fitContent,
      ...unsortable,
      ...noWrap,
      render: incident => (
        <IncidentRowActions incident={incident} onMoved={onMoved} />
      ),
    },
    {
      title: 'Assignee',
      hidden: compact,
      width: '15%',
      ...unsortable,
      ...wrapWords,
      render: incident => {
        const assignee = incident.responder ?? incident.commander;
        return assignee ? <PersonName actor={assignee} /> : '—';
      },
    },
    {
      title: 'Affected services',
      hidden: compact,
      width: '20%',
      ...unsortable,
      ...wrapWords,
      // One service per line: a comma-separated list wrapped in a narrow
      // column left commas on lines of their own.
      render: incident => (
        <Box display="flex" flexDirection="column" style={{ gap: 4 }}>
          {incident.affectedServices.map(ref => (
            <EntityRefLink
              key={ref}
              entityRef={ref}
              defaultKind="component"
              hideIcon
            />
          ))}
        </Box>
      ),
    },
    {
      title: 'Created',
      hidden: compact,
      ...fitContent,
      ...sortable('openedAt'),
      ...wrapWords,
      render: incident => (
        // The age is what triage reads; the duration (which a closed
        // incident's differs from) is on hover, so the table fits 1440 px.
        <Tooltip
          title={`${formatTimestamp(incident.openedAt)} · ${
            incidentEnd(incident) ? 'lasted' : 'open for'
          } ${incidentDuration(incident)}`}
        >
          <span>{formatRelative(incident.openedAt)}</span>
        </Tooltip>
      ),
    },
  ];
  return withNarrowGaps(columns);
}
