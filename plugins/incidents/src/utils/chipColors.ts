import { IncidentStatus, Severity } from '@vigil/plugin-incidents-common';

/** A chip's background and the text colour readable on it. */
export interface ChipColor {
  background: string;
  color: string;
}

const WHITE = '#ffffff';
const BLACK = '#000000';

/**
 * Severity chip colours, fixed rather than the theme's so every pair meets
 * WCAG AA (contrast ≥ 4.5:1) in light and dark themes; the theme's
 * error.main (#f44336) with white text is only 3.7:1.
 */
export const SEVERITY_COLORS: Record<Severity, ChipColor> = {
  sev1: { background: '#b71c1c', color: WHITE }, // 6.6:1
  sev2: { background: '#c62828', color: WHITE }, // 5.6:1
  sev3: { background: '#f9a825', color: BLACK }, // 10.7:1
  sev4: { background: '#1565c0', color: WHITE }, // 5.8:1
  sev5: { background: '#e0e0e0', color: BLACK }, // 15.9:1
};

/** Lifecycle state chip colours, each ≥ 4.5:1 like the severities'. */
export const STATUS_COLORS: Record<IncidentStatus, ChipColor> = {
  open: { background: '#c62828', color: WHITE }, // 5.6:1
  investigating: { background: '#a84300', color: WHITE }, // 6.1:1
  mitigated: { background: '#1565c0', color: WHITE }, // 5.8:1
  resolved: { background: '#2e7d32', color: WHITE }, // 5.1:1
  postmortem: { background: '#6a1b9a', color: WHITE }, // 9.4:1
  cancelled: { background: '#616161', color: WHITE }, // 6.2:1
};

/** Red text for "Firing" on a light or white background: 5.6:1. */
export const FIRING_COLOR = '#c62828';
