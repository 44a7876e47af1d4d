import { FIRING_COLOR, SEVERITY_COLORS, STATUS_COLORS } from './chipColors';

/** WCAG 2 relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map(i => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('chip colours', () => {
  it.each([
    ...Object.entries(SEVERITY_COLORS),
    ...Object.entries(STATUS_COLORS),
  ])('%s meets WCAG AA (4.5:1)', (_name, { background, color }) => {
    expect(contrast(background, color)).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps "Firing" readable on white', () => {
    expect(contrast(FIRING_COLOR, '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });
});
