import { DateTime } from 'luxon';
import { formatRelative, formatTimestamp } from './format';

/** `in 3 hours (Nov 22, 2026, 9:00 AM)`, or an em dash without a time. */
export function formatUntil(iso?: string): string {
  if (!iso) {
    return '—';
  }
  return `${formatRelative(iso)} (${formatTimestamp(iso)})`;
}

/** The hand-off window the on-call page lists: now until 14 days from now. */
export function nextDays(
  days: number,
  now: DateTime = DateTime.now(),
): { from: string; to: string } {
  return { from: now.toISO()!, to: now.plus({ days }).toISO()! };
}
