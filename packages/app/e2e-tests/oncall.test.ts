import { test, expect } from '@playwright/test';
import { screenshots, signIn } from './helpers';

test('the home page widget and the on-call calendar', async ({ page }) => {
  await signIn(page);

  // The home page's on-call widget: my pages and who is on call now.
  await page.goto('/home');
  await expect(
    page.getByRole('region', { name: 'My open pages' }),
  ).toBeVisible();
  const oncall = page.getByRole('region', { name: 'On call now' });
  await expect(oncall.getByText('Payments primary:')).toBeVisible();
  await expect(oncall.getByText('SRE follow the sun:')).toBeVisible();
  await page.screenshot({ path: `${screenshots}/20-home-oncall-widget.png` });

  // The on-call page's 14-day calendar, one bar of shifts per schedule.
  await page.goto('/oncall');
  await expect(
    page
      .getByRole('list', { name: 'Slots of Payments primary' })
      .getByRole('listitem')
      .first(),
  ).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Escalation policy Platform default' }),
  ).toBeVisible();
});
