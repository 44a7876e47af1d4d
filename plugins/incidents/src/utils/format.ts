import { DateTime } from 'luxon';
import { Incident } from '@vigil/plugin-incidents-common';

/** A compact human duration: `45s`, `12m`, `3h 20m`, `2d 4h`. */
export function formatDuration(millis: number): string {
  const totalSeconds = Math.max(0, Math.floor(millis / 1000));
  if (totalSeconds < 60) {
    return `${totalSeconds}s`;
  }
  const days = Math.floor(totalSeconds / 86400);
  const hours = Math.floor((totalSeconds % 86400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const parts: Array<[number, string]> = [
    [days, 'd'],
    [hours, 'h'],
    [minutes, 'm'],
  ];
  const first = parts.findIndex(([value]) => value > 0);
  // Two units are enough to read at a glance; more is noise on a busy table.
  return parts
    .slice(first, first + 2)
    .filter(([value]) => value > 0)
    .map(([value, unit]) => `${value}${unit}`)
    .join(' ');
}

/** When the incident stopped: resolved or cancelled, else undefined (ongoing). */
export function incidentEnd(incident: Incident): string | undefined {
  return incident.resolvedAt ?? incident.cancelledAt;
}

/** Time from opening to resolution or cancellation, or until now. */
export function incidentDuration(
  incident: Incident,
  now: DateTime = DateTime.now(),
): string {
  const start = DateTime.fromISO(incident.openedAt);
  const endIso = incidentEnd(incident);
  const end = endIso ? DateTime.fromISO(endIso) : now;
  return formatDuration(end.toMillis() - start.toMillis());
}

/** A local, readable timestamp, or an em dash when there is none. */
export function formatTimestamp(iso?: string): string {
  if (!iso) {
    return '—';
  }
  const date = DateTime.fromISO(iso);
  return date.isValid ? date.toLocaleString(DateTime.DATETIME_MED) : iso;
}

/** `5 minutes ago`, for lists where the exact time matters less. */
export function formatRelative(iso: string): string {
  const date = DateTime.fromISO(iso);
  return (date.isValid && date.toRelative()) || iso;
}
