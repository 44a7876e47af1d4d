import { test, expect } from '@playwright/test';
import { move, screenshots, signIn } from './helpers';

const BACKEND = process.env.PLAYWRIGHT_BACKEND_URL ?? 'http://localhost:7007';
const PUBLIC = `${BACKEND}/api/incidents/public/status`;

test('the public status page follows a sev1 without signing in', async ({
  page,
  browser,
}) => {
  const title = `Checkout payments failing ${Date.now()}`;
  // A sev1 on a listed component, as a monitoring system opens it.
  const opened = await page.request.post(`${BACKEND}/api/incidents/incidents`, {
    headers: { Authorization: 'Bearer vigil-demo-seed-token' },
    data: {
      title,
      severity: 'sev1',
      affectedServices: ['component:default/checkout-web'],
    },
  });
  expect(opened.status()).toBe(201);
  const { ref } = await opened.json();

  // A customer: a fresh browser context, never signed in.
  const customer = await (await browser.newContext()).newPage();
  await customer.goto(PUBLIC);
  const card = customer.locator('article', { hasText: title });
  await expect(card).toContainText('Investigating');
  await expect(customer.getByRole('status')).toContainText(
    'Major System Outage',
  );
  await customer.setViewportSize({ width: 390, height: 900 });
  await customer.screenshot({
    path: `${screenshots}/60-status-page-390.png`,
    fullPage: true,
  });
  await customer.setViewportSize({ width: 1440, height: 900 });
  await customer.screenshot({
    path: `${screenshots}/61-status-page-1440.png`,
    fullPage: true,
  });

  // The responders work it in the war room; the status page card shows it.
  await signIn(page);
  await page.goto(`/incidents/${ref}`);
  await expect(page.getByText(`Public as ${title}`)).toBeVisible();
  await move(page, 'Acknowledge');
  await move(page, 'Mitigate', 'Rolled back');
  await page.screenshot({
    path: `${screenshots}/62-war-room-status-page-card.png`,
    fullPage: true,
  });
  await expect
    .poll(async () => {
      await customer.reload();
      return customer
        .locator('article', { hasText: title })
        .first()
        .innerText();
    })
    .toContain('Monitoring');
  await move(page, 'Resolve', 'Back to normal');
  await expect
    .poll(async () => {
      await customer.reload();
      return customer
        .locator('article', { hasText: title })
        .first()
        .innerText();
    })
    .toContain('Resolved');
  await expect(
    customer.getByText('This incident has been resolved.').first(),
  ).toBeVisible();

  // The portal's view of the page.
  await page.goto('/incidents/status-page');
  await expect(
    page.getByRole('heading', { name: 'Acme Status' }),
  ).toBeVisible();
  await expect(page.getByText('Checkout', { exact: true })).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/63-status-page-admin.png`,
    fullPage: true,
  });
});
