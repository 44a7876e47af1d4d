import { ComponentType } from 'react';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Divider from '@material-ui/core/Divider';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import AnnouncementIcon from '@material-ui/icons/Announcement';
import AssignmentTurnedInIcon from '@material-ui/icons/AssignmentTurnedIn';
import CallSplitIcon from '@material-ui/icons/CallSplit';
import ChatIcon from '@material-ui/icons/Chat';
import DescriptionIcon from '@material-ui/icons/Description';
import EditIcon from '@material-ui/icons/Edit';
import FiberManualRecordIcon from '@material-ui/icons/FiberManualRecord';
import LinkIcon from '@material-ui/icons/Link';
import MergeTypeIcon from '@material-ui/icons/MergeType';
import NotificationsActiveIcon from '@material-ui/icons/NotificationsActive';
import ReportProblemIcon from '@material-ui/icons/ReportProblem';
import SwapHorizIcon from '@material-ui/icons/SwapHoriz';
import TrendingUpIcon from '@material-ui/icons/TrendingUp';
import WarningIcon from '@material-ui/icons/Warning';
import {
  ACKNOWLEDGEMENT_SOURCE_LABELS,
  AcknowledgementSource,
  TimelineEntry,
  TimelineEntryKind,
} from '@vigil/plugin-incidents-common';
import { formatRelative, formatTimestamp } from '../../../utils/format';
import { PersonName } from '../../shared/PersonName';
import { RefText } from '../../shared/RefText';
import { NoteForm } from '../NoteForm';
import { ExternalLink } from '../../shared/ExternalLink';

const KIND_ICONS: Record<TimelineEntryKind, ComponentType> = {
  opened: ReportProblemIcon,
  status: SwapHorizIcon,
  note: ChatIcon,
  edit: EditIcon,
  merge: MergeTypeIcon,
  child: CallSplitIcon,
  link: LinkIcon,
  'status-update': AnnouncementIcon,
  'action-item': AssignmentTurnedInIcon,
  page: NotificationsActiveIcon,
  escalation: TrendingUpIcon,
  alert: WarningIcon,
  postmortem: DescriptionIcon,
};

/** Where an acknowledging move came from, as a label (e.g. "Slack"). */
function acknowledgedVia(entry: TimelineEntry): string | undefined {
  const source = entry.kind === 'status' ? entry.data?.source : undefined;
  return typeof source === 'string'
    ? ACKNOWLEDGEMENT_SOURCE_LABELS[source as AcknowledgementSource]
    : undefined;
}

const Entry = (props: { entry: TimelineEntry }) => {
  const { entry } = props;
  const Icon = KIND_ICONS[entry.kind] ?? FiberManualRecordIcon;
  return (
    <ListItem alignItems="flex-start" data-testid="timeline-entry">
      <ListItemIcon>
        <Tooltip title={entry.kind}>
          <span>
            <Icon />
          </span>
        </Tooltip>
      </ListItemIcon>
      <ListItemText
        disableTypography
        primary={
          <Typography style={{ whiteSpace: 'pre-wrap' }}>
            <RefText text={entry.message} />
          </Typography>
        }
        secondary={
          <>
            <Typography variant="caption" color="textSecondary" component="div">
              <PersonName actor={entry.actor} /> ·{' '}
              {acknowledgedVia(entry) && <>via {acknowledgedVia(entry)} · </>}
              <Tooltip title={formatTimestamp(entry.createdAt)}>
                <span>{formatRelative(entry.createdAt)}</span>
              </Tooltip>
            </Typography>
            {entry.links?.map(link => (
              <Box key={link.url}>
                <ExternalLink url={link.url}>
                  {link.title ?? link.url}
                </ExternalLink>
              </Box>
            ))}
          </>
        }
      />
    </ListItem>
  );
};

/**
 * The war-room log, oldest first like a chat, with the note form below it.
 */
export const IncidentTimeline = (props: {
  incidentId: string;
  entries: TimelineEntry[];
  /** Whether the user may add notes. */
  canNote: boolean;
  onNoteAdded: () => void;
}) => {
  const { incidentId, entries, canNote, onNoteAdded } = props;
  return (
    <InfoCard title="Timeline">
      {entries.length ? (
        <List dense disablePadding>
          {entries.map(entry => (
            <Entry key={entry.id} entry={entry} />
          ))}
        </List>
      ) : (
        <Typography color="textSecondary">Nothing logged yet.</Typography>
      )}
      {canNote && (
        <>
          <Box my={2}>
            <Divider />
          </Box>
          <NoteForm incidentId={incidentId} onAdded={onNoteAdded} />
        </>
      )}
    </InfoCard>
  );
};
