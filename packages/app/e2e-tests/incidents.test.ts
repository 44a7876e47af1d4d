import { test, expect } from '@playwright/test';
import { move, screenshots, signIn } from './helpers';

test('open an incident from a component page and work it to resolved', async ({
  page,
}) => {
  const title = `Checkout 500s ${Date.now()}`;
  await signIn(page);

  // The component page's incidents card opens the form prefilled with it.
  await page.goto('/catalog/default/component/checkout-web');
  await page.getByRole('button', { name: 'Open incident' }).click();
  const form = page.getByRole('dialog');
  await expect(form.getByText('Checkout web')).toBeVisible();
  await form.getByLabel('Title').fill(title);
  await page.screenshot({ path: `${screenshots}/10-new-incident-form.png` });
  await form.getByRole('button', { name: 'Open incident' }).click();

  // The war room of the new incident.
  await expect(page).toHaveURL(/\/incidents\/INC-\d+$/);
  await expect(
    page.getByRole('heading', { name: new RegExp(title) }),
  ).toBeVisible();

  // guest's team owns checkout-web, so guest may acknowledge; acknowledging
  // makes guest the responder, who may mitigate and resolve.
  await move(page, 'Acknowledge', 'Looking at the error rate');
  await expect(
    page.getByText('Acknowledged: Looking at the error rate'),
  ).toBeVisible();
  await move(page, 'Mitigate', 'Rolled back checkout-web');
  await expect(
    page.getByText('Mitigated: Rolled back checkout-web'),
  ).toBeVisible();
  await move(page, 'Resolve', 'Error rate back to baseline');
  await expect(
    page.getByText('Resolved: Error rate back to baseline'),
  ).toBeVisible();
  await expect(
    page.getByText('Resolved', { exact: true }).first(),
  ).toBeVisible();
  // Only the postmortem move is left.
  await expect(
    page.getByRole('button', { name: 'Acknowledge', exact: true }),
  ).toHaveCount(0);
  await page.screenshot({
    path: `${screenshots}/11-war-room-resolved.png`,
    fullPage: true,
  });

  // The component's card lists it among the recent incidents.
  await page.goto('/catalog/default/component/checkout-web');
  await expect(
    page.getByRole('link', { name: new RegExp(`INC-\\d+: ${title}`) }),
  ).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/12-entity-card.png`,
    fullPage: true,
  });
});
