import { ReactNode, useEffect, useRef, useState } from 'react';
import Box from '@material-ui/core/Box';
import ButtonBase from '@material-ui/core/ButtonBase';
import Chip from '@material-ui/core/Chip';
import Popover from '@material-ui/core/Popover';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { DateTime } from 'luxon';
import { OncallSlot } from '../../../api';
import { formatTimestamp } from '../../../utils/format';
import { PersonName } from '../../shared/PersonName';

/** The now line's red, readable as text on the page (≥ 4.5:1). */
function nowColor(theme: Theme) {
  return theme.palette.type === 'dark' ? '#ef9a9a' : '#c62828';
}

const useStyles = makeStyles(theme => ({
  root: {
    position: 'relative',
  },
  track: {
    position: 'relative',
    height: 40,
    margin: 0,
    padding: 0,
    listStyle: 'none',
    borderRadius: theme.shape.borderRadius,
    backgroundColor: theme.palette.action.hover,
    overflow: 'hidden',
  },
  item: {
    position: 'absolute',
    top: 0,
    bottom: 0,
  },
  slot: {
    width: '100%',
    height: '100%',
    justifyContent: 'flex-start',
    paddingLeft: theme.spacing(0.75),
    borderRight: `2px solid ${theme.palette.background.paper}`,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    fontSize: theme.typography.caption.fontSize,
    fontFamily: theme.typography.fontFamily,
    color: theme.palette.common.white,
    boxSizing: 'border-box',
    '&:focus-visible': {
      outline: `3px solid ${theme.palette.text.primary}`,
      outlineOffset: -3,
    },
  },
  override: {
    backgroundImage:
      'repeating-linear-gradient(45deg, rgba(255,255,255,0.22) 0, rgba(255,255,255,0.22) 6px, transparent 6px, transparent 12px)',
  },
  now: {
    position: 'absolute',
    top: -4,
    bottom: 18,
    width: 0,
    borderLeft: `2px solid ${nowColor(theme)}`,
    pointerEvents: 'none',
    zIndex: 1,
  },
  nowLabel: {
    position: 'absolute',
    top: -18,
    transform: 'translateX(-50%)',
    fontWeight: theme.typography.fontWeightBold as number,
    color: nowColor(theme),
    pointerEvents: 'none',
  },
  ticks: {
    position: 'relative',
    height: 20,
    overflow: 'hidden',
  },
  tick: {
    position: 'absolute',
    top: 0,
    paddingLeft: 2,
    borderLeft: `1px solid ${theme.palette.divider}`,
    whiteSpace: 'nowrap',
    lineHeight: '20px',
  },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5, 1.5),
    margin: theme.spacing(0.5, 0, 0),
    padding: 0,
    listStyle: 'none',
  },
  swatch: {
    display: 'inline-block',
    width: 12,
    height: 12,
    borderRadius: 2,
    marginRight: theme.spacing(0.5),
    verticalAlign: 'middle',
  },
}));

/** Average caption glyph width in px, to decide whether a name fits. */
const CHAR_PX = 7;

/** The slot as a sentence, for screen readers. */
function describeSlot(slot: OncallSlot, name: string): string {
  const base = `${name}, ${formatTimestamp(slot.start)} to ${formatTimestamp(
    slot.end,
  )}`;
  if (!slot.isOverride) {
    return base;
  }
  return `${base} (override${slot.reason ? `: ${slot.reason}` : ''})`;
}

/** The track's width in px once laid out (undefined where nothing is laid out). */
function useWidth() {
  const ref = useRef<HTMLUListElement>(null);
  const [width, setWidth] = useState<number>();
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') {
      return undefined;
    }
    const observer = new ResizeObserver(entries => {
      setWidth(entries[0]?.contentRect.width || undefined);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

/**
 * One schedule's effective slots over a time range as a horizontal bar:
 * one colour per person (the same everywhere), overrides hatched, a "now"
 * line, day ticks below and a legend of who is who. A name is written in
 * its slot only where it fits whole; clicking or tapping a slot opens its
 * details (person, times, reason, and `actions`).
 */
export const ScheduleTimeline = (props: {
  scheduleName: string;
  slots: OncallSlot[];
  /** ISO timestamps of the range shown. */
  from: string;
  to: string;
  /** ISO; the now line is drawn when it lies in the range. */
  now?: string;
  /** Display name of a user ref. */
  nameOf: (ref: string) => string;
  /** Colour of a user ref (one per person on the page). */
  colorOf: (ref: string) => string;
  /** Extra buttons in a slot's details (e.g. offering it to someone). */
  actions?: (slot: OncallSlot, close: () => void) => ReactNode;
}) => {
  const { scheduleName, slots, from, to, now, nameOf, colorOf, actions } =
    props;
  const classes = useStyles();
  const { ref, width } = useWidth();
  const [selected, setSelected] = useState<{
    slot: OncallSlot;
    anchor: HTMLElement;
  }>();
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
  // Room per day label: weekday names where they fit, else day numbers,
  // else every other day (a 390 px phone shows 14 days in ~300 px).
  const dayPx = width ? (width * 86_400_000) / span : Infinity;
  const labelOf = (day: DateTime, index: number) => {
    if (dayPx >= 44) {
      return day.weekday === 1 || index === 0
        ? day.toFormat('ccc d')
        : day.toFormat('d');
    }
    if (dayPx >= 20) return day.toFormat('d');
    return index % 2 === 0 ? day.toFormat('d') : '';
  };

  const visible = slots.filter(
    slot =>
      DateTime.fromISO(slot.end).toMillis() > start &&
      DateTime.fromISO(slot.start).toMillis() < end,
  );
  const people = [...new Set(visible.map(s => s.userRef))];
  const nowMs = now ? DateTime.fromISO(now).toMillis() : undefined;
  const showNow = nowMs !== undefined && nowMs >= start && nowMs <= end;

  return (
    <Box className={classes.root}>
      {showNow && (
        <>
          <Typography
            variant="caption"
            className={classes.nowLabel}
            style={{ left: `${percent(nowMs!)}%` }}
            aria-hidden
          >
            Now
          </Typography>
          <div
            className={classes.now}
            style={{ left: `${percent(nowMs!)}%` }}
            data-testid="now-line"
            aria-hidden
          />
        </>
      )}
      {visible.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          Nobody is scheduled in this period.
        </Typography>
      ) : (
        <ul
          ref={ref}
          className={classes.track}
          aria-label={`Slots of ${scheduleName}`}
        >
          {visible.map(slot => {
            const left = percent(DateTime.fromISO(slot.start).toMillis());
            const right = percent(DateTime.fromISO(slot.end).toMillis());
            const name = nameOf(slot.userRef);
            const description = describeSlot(slot, name);
            // Without a layout (tests, first paint) names are written.
            const fits =
              !width ||
              ((right - left) / 100) * width >= name.length * CHAR_PX + 12;
            return (
              <li
                key={`${slot.id}-${slot.start}`}
                className={classes.item}
                style={{ left: `${left}%`, width: `${right - left}%` }}
              >
                <ButtonBase
                  className={`${classes.slot} ${
                    slot.isOverride ? classes.override : ''
                  }`}
                  style={{ backgroundColor: colorOf(slot.userRef) }}
                  aria-label={description}
                  aria-haspopup="dialog"
                  title={slot.userRef}
                  onClick={event =>
                    setSelected({ slot, anchor: event.currentTarget })
                  }
                >
                  {fits ? name : ''}
                </ButtonBase>
              </li>
            );
          })}
        </ul>
      )}
      <Box className={classes.ticks} aria-hidden>
        {days.map((day, index) => (
          <Typography
            key={day.toMillis()}
            variant="caption"
            color="textSecondary"
            className={classes.tick}
            style={{ left: `${percent(day.toMillis())}%` }}
          >
            {labelOf(day, index)}
          </Typography>
        ))}
      </Box>
      {people.length > 0 && (
        <ul
          className={classes.legend}
          aria-label={`Who is who on ${scheduleName}`}
        >
          {people.map(userRef => (
            <li key={userRef} title={userRef}>
              <Typography variant="caption">
                <span
                  className={classes.swatch}
                  style={{ backgroundColor: colorOf(userRef) }}
                />
                {nameOf(userRef)}
              </Typography>
            </li>
          ))}
        </ul>
      )}
      <Popover
        open={Boolean(selected)}
        anchorEl={selected?.anchor}
        onClose={() => setSelected(undefined)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
        transformOrigin={{ vertical: 'top', horizontal: 'center' }}
        PaperProps={
          {
            role: 'dialog',
            'aria-label': 'Shift details',
          } as any
        }
      >
        {selected && (
          <Box p={2} maxWidth={320}>
            <Typography variant="subtitle1" component="h3">
              <PersonName actor={selected.slot.userRef} />
            </Typography>
            <Typography variant="caption" color="textSecondary" component="p">
              {selected.slot.userRef}
            </Typography>
            <Typography variant="body2">
              {formatTimestamp(selected.slot.start)} –{' '}
              {formatTimestamp(selected.slot.end)}
            </Typography>
            {selected.slot.isOverride && (
              <Box mt={1}>
                <Chip
                  size="small"
                  label={`Override${
                    selected.slot.reason ? `: ${selected.slot.reason}` : ''
                  }`}
                />
              </Box>
            )}
            {actions && (
              <Box mt={1}>
                {actions(selected.slot, () => setSelected(undefined))}
              </Box>
            )}
          </Box>
        )}
      </Popover>
    </Box>
  );
};
