import { Page } from '@playwright/test';

type Violation = {
  id: string;
  impact?: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
};

/**
 * Serious and critical axe-core violations in Vigil's part of the page (the
 * page content, not Backstage's sidebar or the app shell).
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations: Violation[] = await page.evaluate(async () => {
    const axe = (window as any).axe;
    const result = await axe.run(document.querySelector('main') ?? document, {
      resultTypes: ['violations'],
    });
    return result.violations;
  });
  return violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(
      v =>
        `${v.impact} ${v.id} (${v.help}): ${v.nodes
          .map(n => n.target.join(' '))
          .join(', ')}`,
    );
}
