import { test, expect, Page, TestInfo } from '@playwright/test';
import { axeFindings } from './axe';
import { screenshots, signIn } from './helpers';

/** Presses Tab until `target` has the focus (at most 80 presses). */
async function tabTo(page: Page, target: ReturnType<Page['locator']>) {
  for (let i = 0; i < 80; i++) {
    if (
      await target.evaluate(el => el === document.activeElement, undefined, {
        timeout: 10_000,
      })
    ) {
      return;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

async function noSeriousViolations(
  page: Page,
  testInfo: TestInfo,
  name: string,
) {
  const { vigil } = await axeFindings(page, testInfo, name);
  expect.soft(vigil, `${name}: serious or critical axe violations`).toEqual([]);
}

test('a sev1 from the home widget to resolved with the keyboard alone', async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  const title = `Keyboard-only sev1 ${Date.now()}`;
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page);

  // Home: `n` opens "Declare incident" from the Active incidents widget.
  await expect(
    page.getByRole('button', { name: 'Declare incident' }),
  ).toBeVisible();
  await page.keyboard.press('n');
  const form = page.getByRole('dialog', { name: 'New incident' });
  await expect(form).toBeVisible();
  // The title has the focus: type it, then SEV1 in the severity select.
  await expect(form.getByLabel('Title')).toBeFocused();
  await page.keyboard.type(title);
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('Severity')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(form.getByLabel('Severity')).toHaveValue('sev1');
  // Checkout web, which guest's team owns, so guest is paged and may
  // acknowledge: picked in the catalog autocomplete with the arrow keys.
  const services = form.getByLabel('Affected services');
  await tabTo(page, services);
  await page.keyboard.type('Checkout');
  await expect(
    page.getByRole('option', { name: /Checkout/ }).first(),
  ).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(
    form.getByRole('button', { name: /Checkout/ }).first(),
  ).toBeVisible();
  await noSeriousViolations(page, testInfo, 'declare-dialog');
  await tabTo(page, form.getByRole('button', { name: 'Open incident' }));
  await page.keyboard.press('Enter');

  // The war room: `a` acknowledges.
  await expect(page).toHaveURL(/\/incidents\/INC-\d+$/);
  const bar = page.getByRole('region', { name: 'Incident command bar' });
  await expect(bar.getByText('SEV1')).toBeVisible();
  await expect(bar.getByRole('button', { name: 'Acknowledge' })).toBeVisible();
  await noSeriousViolations(page, testInfo, 'war-room-open');
  await page.keyboard.press('a');
  await expect(bar.getByText('Investigating')).toBeVisible();
  await expect(bar.getByRole('button', { name: 'Acknowledge' })).toHaveCount(0);

  // A note, posted with Ctrl+Enter.
  const note = page.getByRole('textbox', { name: 'Note' });
  await tabTo(page, note);
  await page.keyboard.type('Failing over to the standby database');
  await page.keyboard.press('Control+Enter');
  await expect(note).toHaveValue('');
  await expect(
    page.getByText('Failing over to the standby database'),
  ).toBeVisible();

  // Mitigate and resolve through the command bar's buttons and dialogs.
  for (const [action, state] of [
    ['Mitigate', 'Mitigated'],
    ['Resolve', 'Resolved'],
  ]) {
    await tabTo(page, bar.getByRole('button', { name: action, exact: true }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    await tabTo(page, dialog.getByLabel('Message (optional)'));
    await page.keyboard.type(`${action} by keyboard`);
    await tabTo(
      page,
      dialog.getByRole('button', { name: action, exact: true }),
    );
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(bar.getByText(state)).toBeVisible();
  }
  await noSeriousViolations(page, testInfo, 'war-room-resolved');
  await page.screenshot({
    path: `${screenshots}/70-keyboard-walk-resolved.png`,
    fullPage: true,
  });

  // `g i` goes back to the list, the incident no longer active.
  await page.keyboard.press('g');
  await page.keyboard.press('i');
  await expect(page).toHaveURL(/\/incidents(\?.*)?$/);
  await noSeriousViolations(page, testInfo, 'incident-list');
});
