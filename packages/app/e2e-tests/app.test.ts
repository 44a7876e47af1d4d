import { test, expect } from '@playwright/test';
import { screenshots } from './helpers';

test('guest signs in and opens the triage list', async ({ page }) => {
  await page.goto('/');

  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  const incidentsLink = nav.getByRole('link', { name: 'Incidents' });
  await expect(incidentsLink).toBeVisible();
  await page.screenshot({ path: `${screenshots}/01-home.png` });

  await incidentsLink.click();
  await expect(page).toHaveURL(/\/incidents$/);
  // Active incidents by default, tabs by state with their counts.
  await expect(page.getByRole('tab', { name: /^Active/ })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await page.getByRole('tab', { name: /^All/ }).click();
  await expect(page).toHaveURL(/\/incidents\?tab=all$/);
  // Backend details are no business of someone triaging.
  await expect(page.getByText('Backend reachable')).toHaveCount(0);
  await expect(page.getByText('better-sqlite3')).toHaveCount(0);
  await page.screenshot({ path: `${screenshots}/02-triage-list.png` });
});
