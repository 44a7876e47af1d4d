import { test, expect, Page } from '@playwright/test';
import { screenshots, signIn } from './helpers';

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
async function seriousViolations(page: Page): Promise<string[]> {
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

test('the incident list and a war room have no serious axe violations', async ({
  page,
}) => {
  const title = `Axe check ${Date.now()}`;
  await signIn(page);

  // An open incident guest's team owns, so the war room shows its actions.
  await page.goto('/catalog/default/component/checkout-web');
  await page.getByRole('button', { name: 'Open incident' }).click();
  const form = page.getByRole('dialog', { name: 'New incident' });
  await form.getByLabel('Title').fill(title);
  expect(await seriousViolations(page)).toEqual([]);
  await form.getByRole('button', { name: 'Open incident' }).click();
  await expect(page).toHaveURL(/\/incidents\/INC-\d+$/);
  await expect(
    page.getByRole('region', { name: 'Incident command bar' }),
  ).toBeVisible();
  await expect(page.getByText('Opened as')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({
    path: `${screenshots}/40-war-room-axe.png`,
    fullPage: true,
  });

  await page.goto('/incidents');
  await expect(
    page.getByRole('link', { name: /^INC-\d+$/ }).first(),
  ).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${screenshots}/41-incident-list-axe.png` });
});
