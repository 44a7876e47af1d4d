import { test, expect } from '@playwright/test';
import { screenshots, signIn } from './helpers';

test('the home page widget and the on-call calendar', async ({ page }) => {
  await signIn(page);

  // The home page (the demo's landing page): the active incidents widget
  // with Declare incident, and the on-call widget (my pages, who is on call).
  await page.goto('/');
  await expect(
    page.getByRole('button', { name: 'Declare incident' }),
  ).toBeVisible();
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
