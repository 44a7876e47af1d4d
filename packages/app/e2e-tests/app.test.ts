import { test, expect } from '@playwright/test';
import { screenshots } from './helpers';

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
  // The newest applied migration is shown; migrations run in name order, so
  // one at or after the postmortems migration means it ran too (other
  // features add newer ones).
  const schema = page.getByText(/^\d{14}_[\w-]+\.js$/).first();
  await expect(schema).toBeVisible();
  expect((await schema.textContent())! >= '20261122030000_postmortems.js').toBe(
    true,
  );
  await page.screenshot({ path: `${screenshots}/02-vigil-health.png` });
});
