import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { DateTime } from 'luxon';
import { OncallSlot } from '../../../api';
import { formatTimestamp } from '../../../utils/format';
import { displayUser } from '../ScheduleDialogs/fields';

const useStyles = makeStyles(theme => ({
  track: {
    position: 'relative',
    height: 36,
    margin: 0,
    padding: 0,
    listStyle: 'none',
    borderRadius: theme.shape.borderRadius,
    backgroundColor: theme.palette.action.hover,
    overflow: 'hidden',
  },
  slot: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    display: 'flex',
    alignItems: 'center',
    paddingLeft: theme.spacing(0.75),
    borderRight: `2px solid ${theme.palette.background.paper}`,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    fontSize: theme.typography.caption.fontSize,
    color: theme.palette.common.white,
    boxSizing: 'border-box',
  },
  override: {
    backgroundImage:
      'repeating-linear-gradient(45deg, rgba(255,255,255,0.25) 0, rgba(255,255,255,0.25) 6px, transparent 6px, transparent 12px)',
    outline: `2px solid ${theme.palette.secondary.dark}`,
    outlineOffset: -2,
  },
  ticks: {
    position: 'relative',
    height: 20,
  },
  tick: {
    position: 'absolute',
    top: 0,
    paddingLeft: 2,
    borderLeft: `1px solid ${theme.palette.divider}`,
    whiteSpace: 'nowrap',
  },
}));

/** Rotation colours; overrides are hatched on top. */
const PALETTE = [
  '#1565c0',
  '#2e7d32',
  '#6a1b9a',
  '#00838f',
  '#ef6c00',
  '#4e342e',
  '#ad1457',
  '#37474f',
];

function colorOf(userRef: string, members: string[]): string {
  const index = members.indexOf(userRef);
  if (index >= 0) {
    return PALETTE[index % PALETTE.length];
  }
  let hash = 0;
  for (const c of userRef) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

/** The slot as a sentence, for screen readers and the tooltip. */
function describeSlot(slot: OncallSlot): string {
  const base = `${displayUser(slot.userRef)}, ${formatTimestamp(
    slot.start,
  )} to ${formatTimestamp(slot.end)}`;
  if (!slot.isOverride) {
    return base;
  }
  return `${base} (override${slot.reason ? `: ${slot.reason}` : ''})`;
}

/**
 * One schedule's effective slots over a time range as a horizontal bar, one
 * segment per shift, overrides hatched; day ticks below.
 */
export const ScheduleTimeline = (props: {
  scheduleName: string;
  members: string[];
  slots: OncallSlot[];
  /** ISO timestamps of the range shown. */
  from: string;
  to: string;
}) => {
  const { scheduleName, members, slots, from, to } = props;
  const classes = useStyles();
  const start = DateTime.fromISO(from).toMillis();
  const end = DateTime.fromISO(to).toMillis();
  const span = end - start;
  const percent = (millis: number) =>
    ((Math.min(Math.max(millis, start), end) - start) / span) * 100;

  const days: DateTime[] = [];
  for (
    let day = DateTime.fromMillis(start).startOf('day').plus({ days: 1 });
    day.toMillis() < end;
    day = day.plus({ days: 1 })
  ) {
    days.push(day);
  }

  const visible = slots.filter(
    slot =>
      DateTime.fromISO(slot.end).toMillis() > start &&
      DateTime.fromISO(slot.start).toMillis() < end,
  );

  return (
    <Box>
      {visible.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          Nobody is scheduled in this period.
        </Typography>
      ) : (
        <ul className={classes.track} aria-label={`Slots of ${scheduleName}`}>
          {visible.map(slot => {
            const left = percent(DateTime.fromISO(slot.start).toMillis());
            const right = percent(DateTime.fromISO(slot.end).toMillis());
            const description = describeSlot(slot);
            return (
              <Tooltip key={slot.id} title={description}>
                <li
                  aria-label={description}
                  className={`${classes.slot} ${
                    slot.isOverride ? classes.override : ''
                  }`}
                  style={{
                    left: `${left}%`,
                    width: `${right - left}%`,
                    backgroundColor: colorOf(slot.userRef, members),
                  }}
                >
                  {displayUser(slot.userRef)}
                </li>
              </Tooltip>
            );
          })}
        </ul>
      )}
      <Box className={classes.ticks} aria-hidden>
        {days.map(day => (
          <Typography
            key={day.toMillis()}
            variant="caption"
            color="textSecondary"
            className={classes.tick}
            style={{ left: `${percent(day.toMillis())}%` }}
          >
            {day.weekday === 1 || day.equals(days[0])
              ? day.toFormat('ccc d')
              : day.toFormat('d')}
          </Typography>
        ))}
      </Box>
    </Box>
  );
};
