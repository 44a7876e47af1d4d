import { test, expect } from '@playwright/test';

const screenshots = 'test-results/screenshots';

test('guest signs in, opens Vigil and sees the backend is healthy', async ({
  page,
}) => {
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
  await expect(page.getByText('Backend reachable')).toBeVisible();
  await expect(page.getByText('better-sqlite3')).toBeVisible();
  await expect(page.getByText('20261122010000_oncall.js')).toBeVisible();
  await page.screenshot({ path: `${screenshots}/02-vigil-health.png` });
});
