import { useEffect, useState } from 'react';
import Typography from '@material-ui/core/Typography';
import { Incident } from '@vigil/plugin-incidents-common';
import { incidentEnd } from '../../../utils/format';

/** `1:02:03` (or `2d 01:02:03`) for a number of milliseconds. */
export function formatElapsed(millis: number): string {
  const total = Math.max(0, Math.floor(millis / 1000));
  const days = Math.floor(total / 86_400);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${Math.floor((total % 86_400) / 3600)}:${pad(
    Math.floor((total % 3600) / 60),
  )}:${pad(total % 60)}`;
  return days ? `${days}d ${clock}` : clock;
}

/**
 * Time since the incident opened, ticking every second while it runs and
 * stopped at its resolution or cancellation.
 */
export const ElapsedTimer = (props: {
  incident: Pick<Incident, 'openedAt' | 'resolvedAt' | 'cancelledAt'>;
}) => {
  const end = incidentEnd(props.incident as Incident);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (end) {
      return undefined;
    }
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [end]);
  const stop = end ? Date.parse(end) : now;
  const elapsed = formatElapsed(stop - Date.parse(props.incident.openedAt));
  return (
    <Typography
      variant="h6"
      component="span"
      role="timer"
      aria-label={`${end ? 'Lasted' : 'Elapsed'} ${elapsed}`}
      style={{ fontVariantNumeric: 'tabular-nums' }}
    >
      {elapsed}
    </Typography>
  );
};
