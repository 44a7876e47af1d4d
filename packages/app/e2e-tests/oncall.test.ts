import { test, expect } from '@playwright/test';
import { axeFindings } from './axe';
import { screenshots, signIn } from './helpers';

const backend = process.env.PLAYWRIGHT_BACKEND_URL ?? 'http://localhost:7007';

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

for (const width of [1440, 390]) {
  test(`the on-call page at ${width} px: now line, details, hand-offs, subscription, no serious axe violations`, async ({
    page,
    context,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn(page);
    await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
    await page.goto('/oncall');
    const track = page.getByRole('list', { name: 'Slots of Payments primary' });
    await expect(track.getByRole('button').first()).toBeVisible();
    await expect(page.getByTestId('now-line').first()).toBeAttached();
    await expect(
      page.getByRole('region', { name: 'Your next shift' }),
    ).toBeVisible();
    await expect(
      page.getByRole('list', { name: 'Next hand-offs of Payments primary' }),
    ).toBeVisible();
    await page.screenshot({
      path: `${screenshots}/21-oncall-${width}.png`,
      fullPage: true,
    });
    await page
      .getByRole('region', { name: 'Schedule calendar' })
      .screenshot({ path: `${screenshots}/21-oncall-calendar-${width}.png` });
    expect(
      (await axeFindings(page, test.info(), `on-call ${width} px`)).vigil,
    ).toEqual([]);

    // A tap opens the shift's details.
    await track.getByRole('button').first().click();
    const details = page.getByRole('dialog', { name: 'Shift details' });
    await expect(details.getByText(/^user:default\//)).toBeVisible();
    await page.screenshot({
      path: `${screenshots}/22-oncall-details-${width}.png`,
      animations: 'disabled',
    });
    expect(
      (await axeFindings(page, test.info(), `on-call ${width} px`)).vigil,
    ).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(details).toBeHidden();

    // My own shift can be offered to another member (a rotation shift: an
    // override another test made may be a sliver too narrow to tap at 390 px).
    await track
      .getByRole('button', { name: /^Guest User, (?!.*\(override)/ })
      .first()
      .click();
    await details.getByRole('button', { name: 'Offer this shift' }).click();
    const offer = page.getByRole('dialog', {
      name: 'Offer your shift on Payments primary',
    });
    await expect(offer.getByLabel('From')).toBeVisible();
    await page.screenshot({
      path: `${screenshots}/24-oncall-offer-${width}.png`,
      animations: 'disabled',
    });
    expect(
      (await axeFindings(page, test.info(), `on-call ${width} px`)).vigil,
    ).toEqual([]);
    await offer.getByRole('button', { name: 'Cancel' }).click();
    await expect(offer).toBeHidden();

    // The collapsed hand-offs open on request.
    const more = page.getByRole('button', { name: /^Show \d+ more$/ }).first();
    if (await more.isVisible()) {
      await more.click();
      await expect(
        page.getByRole('button', { name: 'Show fewer' }).first(),
      ).toBeVisible();
    }

    // A subscription link is copied, and a calendar app can read it unsigned.
    await page
      .getByRole('button', {
        name: 'Subscribe to Payments primary',
      })
      .click();
    const field = page.getByRole('textbox', {
      name: 'Subscription link of Payments primary',
    });
    await expect(field).toHaveValue(
      /^webcal:\/\/.+\/api\/incidents\/oncall\/feeds\//,
    );
    const webcal = await field.inputValue();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      webcal,
    );
    const feed = await page.request.get(
      `${backend}${new URL(webcal.replace(/^webcal:/, 'http:')).pathname}`,
    );
    expect(feed.status()).toBe(200);
    expect(await feed.text()).toContain('BEGIN:VCALENDAR');
    await field.scrollIntoViewIfNeeded();
    await page.screenshot({
      path: `${screenshots}/23-oncall-subscribe-${width}.png`,
    });
    expect(
      (await axeFindings(page, test.info(), `on-call ${width} px`)).vigil,
    ).toEqual([]);
  });
}
