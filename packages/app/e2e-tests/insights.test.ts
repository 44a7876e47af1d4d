import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { screenshots, signIn } from './helpers';

const BACKEND = process.env.PLAYWRIGHT_BACKEND_URL ?? 'http://localhost:7007';
const SEED = { Authorization: 'Bearer vigil-demo-seed-token' };

test('the Insights page shows the response figures and downloads them as CSV', async ({
  page,
}) => {
  // A sev2 from a deploy, worked to resolved, so every card has a figure.
  const opened = await page.request.post(`${BACKEND}/api/incidents/incidents`, {
    headers: SEED,
    data: {
      title: `Insights check ${Date.now()}`,
      severity: 'sev2',
      affectedServices: ['component:default/payments-api'],
      change: { url: 'https://deploys.example.com/payments-api/42' },
    },
  });
  expect(opened.status()).toBe(201);
  const { ref } = await opened.json();
  for (const status of ['investigating', 'mitigated', 'resolved']) {
    const moved = await page.request.post(
      `${BACKEND}/api/incidents/incidents/${ref}/status`,
      { headers: SEED, data: { status } },
    );
    expect(moved.status()).toBe(200);
  }

  await signIn(page);
  await page.goto('/insights?days=7');
  await expect(page.getByRole('heading', { name: 'Insights' })).toBeVisible();
  await expect(page.getByText('Response times')).toBeVisible();
  await expect(page.getByText('SLA compliance')).toBeVisible();
  await expect(
    page.getByRole('link', { name: /payments/i }).first(),
  ).toBeVisible();
  // The filter is in the address: a reload keeps it.
  await page.getByLabel('Severity').click();
  await page.getByRole('option', { name: 'SEV2' }).click();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/severity=sev2/);
  await page.reload();
  await expect(page.getByLabel('Severity')).toContainText('SEV2');

  const download = page.waitForEvent('download');
  await page
    .getByRole('button', { name: 'Download Response times as CSV' })
    .click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  expect(csv.split('\r\n')[0]).toMatch(
    /^severity,incidents,timeToAcknowledge_count,/,
  );
  expect(csv).toMatch(/\r\nsev2,\d+,/);

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({
    path: `${screenshots}/70-insights-1440.png`,
    fullPage: true,
  });
  await page.getByText('Change failure').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshots}/72-insights-1440-lower.png` });
  await page.setViewportSize({ width: 390, height: 900 });
  await page.screenshot({
    path: `${screenshots}/71-insights-390.png`,
    fullPage: true,
  });
});
