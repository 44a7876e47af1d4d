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

/**
 * Person colours of the on-call timeline: white text on each has a
 * contrast of at least 4.5:1 (WCAG AA), checked by a test.
 */
export const PERSON_COLORS = [
  '#1565c0',
  '#2e7d32',
  '#7b1fa2',
  '#00695c',
  '#a04000',
  '#5d4037',
  '#c2185b',
  '#455a64',
  '#6b6b00',
  '#b71c1c',
];

/** One colour per person, the same on every schedule and every visit. */
export function personColor(userRef: string): string {
  // FNV-1a: short refs like user:default/alice and …/alicia spread well.
  let hash = 0x811c9dc5;
  for (let i = 0; i < userRef.length; i++) {
    hash ^= userRef.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return PERSON_COLORS[hash % PERSON_COLORS.length];
}

/**
 * Colours for everyone on a page: each person gets the colour of their ref
 * ({@link personColor}) unless someone earlier (by ref) has it, then the
 * next free one; so the people on one page are told apart while there are
 * colours, and the same people always get the same colours.
 */
export function personColors(refs: Iterable<string>): Map<string, string> {
  const people = [...new Set(refs)].sort();
  const taken = new Set<string>();
  const colors = new Map<string, string>();
  for (const ref of people) {
    const preferred = PERSON_COLORS.indexOf(personColor(ref));
    let color = PERSON_COLORS[preferred];
    for (let k = 0; k < PERSON_COLORS.length; k++) {
      const candidate = PERSON_COLORS[(preferred + k) % PERSON_COLORS.length];
      if (!taken.has(candidate)) {
        color = candidate;
        break;
      }
    }
    taken.add(color);
    colors.set(ref, color);
  }
  return colors;
}

/** WCAG contrast ratio of two `#rrggbb` colours. */
export function contrastRatio(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map(i => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The piece of a schedule the page needs from a slot. */
type SlotLike = { userRef: string; start: string; end: string };

/** A change of owner: `from` hands over to `to` at `at`. */
export interface Handoff {
  at: string;
  from?: string;
  to?: string;
}

/**
 * The hand-offs in a schedule's (sorted, non-overlapping) slots after
 * `after`: every instant the owner changes, including to or from nobody.
 */
export function handoffsOf(slots: SlotLike[], after: string): Handoff[] {
  const handoffs: Handoff[] = [];
  const afterMs = Date.parse(after);
  for (let i = 0; i < slots.length; i++) {
    const prev = slots[i - 1];
    const slot = slots[i];
    const contiguous = prev && Date.parse(prev.end) === Date.parse(slot.start);
    if (prev && !contiguous && Date.parse(prev.end) > afterMs) {
      handoffs.push({ at: prev.end, from: prev.userRef });
    }
    if (Date.parse(slot.start) <= afterMs) continue;
    if (!contiguous) {
      handoffs.push({ at: slot.start, to: slot.userRef });
    } else if (prev.userRef !== slot.userRef) {
      handoffs.push({ at: slot.start, from: prev.userRef, to: slot.userRef });
    }
  }
  return handoffs;
}

/**
 * The user's current or next shift over the schedules' slots: back-to-back
 * slots of theirs are one shift. Undefined when they have none.
 */
export function nextShiftOf<S extends SlotLike>(
  userRef: string,
  schedules: Array<{ schedule: { id: string; name: string }; slots: S[] }>,
  now: string,
): { scheduleName: string; start: string; end: string } | undefined {
  let best: { scheduleName: string; start: string; end: string } | undefined;
  const nowMs = Date.parse(now);
  for (const { schedule, slots } of schedules) {
    const sorted = [...slots].sort(
      (a, b) => Date.parse(a.start) - Date.parse(b.start),
    );
    for (let i = 0; i < sorted.length; i++) {
      const slot = sorted[i];
      if (slot.userRef !== userRef || Date.parse(slot.end) <= nowMs) continue;
      let end = slot.end;
      for (
        let j = i + 1;
        j < sorted.length &&
        sorted[j].userRef === userRef &&
        Date.parse(sorted[j].start) === Date.parse(end);
        j++
      ) {
        end = sorted[j].end;
      }
      if (!best || Date.parse(slot.start) < Date.parse(best.start)) {
        best = { scheduleName: schedule.name, start: slot.start, end };
      }
      break;
    }
  }
  return best;
}
