import { makeBadge } from 'badge-maker';
import { PageSnapshot } from '../publicView';

const COLORS: Record<string, string> = {
  none: '#1b7f3b',
  minor: '#8a6100',
  major: '#b34700',
  critical: '#b3261e',
  maintenance: '#1f5fa8',
};

/** An SVG badge of the page's status for READMEs (shields.io's badge-maker). */
export function renderBadge(snapshot: PageSnapshot): string {
  return makeBadge({
    label: snapshot.page.name,
    message: snapshot.status.description,
    color: COLORS[snapshot.status.indicator] ?? COLORS.minor,
    style: 'flat',
  });
}
