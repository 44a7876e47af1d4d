import { test, expect, Page, TestInfo } from '@playwright/test';
import { axeFindings } from './axe';
import { move, screenshots, signIn } from './helpers';

const BACKEND = process.env.PLAYWRIGHT_BACKEND_URL ?? 'http://localhost:7007';

/** Waits for the page's content: its loading skeletons and spinners gone. */
async function settled(page: Page) {
  await expect(page.locator('[role="progressbar"]')).toHaveCount(0);
}

/** Lets a resize re-render (media queries) before the next screenshot. */
async function nextFrames(page: Page) {
  await page.evaluate(
    () =>
      new Promise(resolve =>
        requestAnimationFrame(() => requestAnimationFrame(resolve)),
      ),
  );
}

/** Screenshots of the page at 1440 and 390 px wide. */
export async function shoot(page: Page, name: string) {
  await page.setViewportSize({ width: 1440, height: 900 });
  await nextFrames(page);
  await page.screenshot({
    path: `${screenshots}/a11y-${name}-1440.png`,
    fullPage: true,
  });
  await page.setViewportSize({ width: 390, height: 844 });
  await nextFrames(page);
  // Backstage swaps to its mobile layout, which mounts the page again.
  await expect(page.locator('[role="progressbar"]')).toHaveCount(0);
  await page.screenshot({
    path: `${screenshots}/a11y-${name}-390.png`,
    fullPage: true,
  });
  await page.setViewportSize({ width: 1440, height: 900 });
  await nextFrames(page);
  await expect(page.locator('[role="progressbar"]')).toHaveCount(0);
}

/**
 * No serious or critical axe violation in Vigil's part of the page (each
 * page is checked even when an earlier one failed), then its screenshots.
 */
async function check(
  page: Page,
  testInfo: TestInfo,
  name: string,
  scope?: string,
) {
  const { vigil } = await axeFindings(page, testInfo, name, scope);
  expect.soft(vigil, `${name}: serious or critical axe violations`).toEqual([]);
  await shoot(page, name);
}

test('every Vigil page, card and dialog has no serious axe violations, and nothing 404s', async ({
  page,
  browser,
}, testInfo) => {
  // About 20 pages, each checked and shot twice, on a loaded machine.
  test.setTimeout(900_000);
  const notFound: string[] = [];
  page.on('response', response => {
    if (response.status() === 404) {
      notFound.push(`${response.request().method()} ${response.url()}`);
    }
  });
  const title = `Axe check ${Date.now()}`;
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page);

  // Home: the active incidents widget, and the ? overlay.
  await expect(
    page.getByRole('button', { name: 'Declare incident' }),
  ).toBeVisible();
  await settled(page);
  // Home holds Backstage's widgets too: only Vigil's two count.
  await page.evaluate(() =>
    document.querySelectorAll('.react-grid-item').forEach(item => {
      if (/Active incidents|On call/.test(item.textContent ?? '')) {
        item.setAttribute('data-axe-vigil', '');
      }
    }),
  );
  await check(page, testInfo, 'home', '[data-axe-vigil], [role="dialog"]');
  await page.keyboard.press('?');
  await expect(
    page.getByRole('dialog', { name: 'Keyboard shortcuts' }),
  ).toBeVisible();
  await check(page, testInfo, 'shortcuts-overlay');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // A component page: banner, incidents, on-call and runbooks cards; the new
  // incident dialog; an open incident guest's team owns, so the war room
  // shows its actions.
  await page.goto('/catalog/default/component/checkout-web');
  await expect(
    page.getByRole('button', { name: 'Open incident' }),
  ).toBeVisible();
  await settled(page);
  await check(page, testInfo, 'entity-overview');
  await page.getByRole('button', { name: 'Open incident' }).click();
  const form = page.getByRole('dialog', { name: 'New incident' });
  await form.getByLabel('Title').fill(title);
  await check(page, testInfo, 'new-incident-dialog');
  await form.getByRole('button', { name: 'Open incident' }).click();
  await expect(page).toHaveURL(/\/incidents\/INC-\d+$/);
  const ref = page.url().split('/').pop()!;
  await expect(
    page.getByRole('region', { name: 'Incident command bar' }),
  ).toBeVisible();
  await expect(page.getByText('Opened as')).toBeVisible();
  await settled(page);
  await check(page, testInfo, 'war-room');

  await page.goto('/catalog/default/component/checkout-web');
  await expect(page.getByText(`${ref}`).first()).toBeVisible();
  await settled(page);
  await check(page, testInfo, 'entity-overview-active-incident');
  await page.goto('/catalog/default/component/checkout-web/incidents');
  await expect(page.getByRole('link', { name: ref }).first()).toBeVisible();
  await settled(page);
  await check(page, testInfo, 'entity-incidents-tab');
  await page.goto('/catalog/default/component/checkout-web/insights');
  await settled(page);
  await check(page, testInfo, 'entity-insights-tab');
  await page.goto('/catalog/default/component/payments-api');
  await expect(
    page.getByRole('link', { name: /Card processor failover/ }).first(),
  ).toBeVisible();
  await settled(page);
  await check(page, testInfo, 'entity-overview-runbooks');

  // The list pages.
  await page.goto('/incidents');
  await expect(page.getByRole('link', { name: ref }).first()).toBeVisible();
  await settled(page);
  await check(page, testInfo, 'incident-list');
  await page.goto('/incidents/alerts');
  await settled(page);
  await check(page, testInfo, 'alerts');
  await page.goto('/incidents/status-page');
  await settled(page);
  await check(page, testInfo, 'status-page-admin');
  await page.goto('/insights');
  await settled(page);
  await check(page, testInfo, 'insights');
  await page.goto('/postmortems');
  await settled(page);
  await check(page, testInfo, 'postmortems');

  // The on-call page (oncall.test.ts checks it further: details, dialogs).
  await page.goto('/oncall');
  await expect(
    page.getByRole('heading', { name: 'On-call schedules' }),
  ).toBeVisible();
  await settled(page);
  await check(page, testInfo, 'oncall');

  // The postmortem editor, then the published (read-only) view.
  await page.goto(`/incidents/${ref}`);
  await move(page, 'Acknowledge');
  await move(page, 'Resolve');
  await move(page, 'Start postmortem');
  await expect(page).toHaveURL(new RegExp(`/incidents/${ref}/postmortem$`));
  await expect(
    page.getByRole('textbox', { name: 'Postmortem (Markdown)' }),
  ).toBeVisible();
  await settled(page);
  await check(page, testInfo, 'postmortem-editor');

  const admin = await browser.newContext();
  await admin.route('**/api/auth/guest/refresh**', async route => {
    const response = await route.fetch({
      url: route
        .request()
        .url()
        .replace('/guest/refresh', '/demoAdmin/refresh'),
    });
    await route.fulfill({ response });
  });
  const adminPage = await admin.newPage();
  await signIn(adminPage);
  await adminPage.goto(`/incidents/${ref}/postmortem`);
  await adminPage.getByRole('button', { name: 'Send to review' }).click();
  await adminPage.getByRole('button', { name: 'Publish' }).click();
  await expect(adminPage.getByText(/^Published by/)).toBeVisible();
  await admin.close();
  await page.reload();
  await expect(page.getByText(/^Published by/)).toBeVisible();
  await settled(page);
  await check(page, testInfo, 'postmortem-view');

  // The public status page, served by the backend; its CSP forbids inline
  // scripts, so axe is injected into a context that bypasses it.
  const publicContext = await browser.newContext({ bypassCSP: true });
  const publicPage = await publicContext.newPage();
  await publicPage.goto(`${BACKEND}/api/incidents/public/status`);
  await check(publicPage, testInfo, 'status-page-public');
  await publicContext.close();

  expect(notFound, 'requests answered 404 on page loads').toEqual([]);

  // An unknown reference: a real not-found page (its one 404 is the point).
  await page.goto('/incidents/INC-99999');
  await expect(page.getByText('Incident INC-99999 not found')).toBeVisible();
  await check(page, testInfo, 'not-found');
});
