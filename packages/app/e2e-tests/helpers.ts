import { expect, Page } from '@playwright/test';

/** Where the tests leave their screenshots. */
export const screenshots = 'test-results/screenshots';

/** Signs in as the guest and waits for the sidebar's Incidents link. */
export async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Incidents' }),
  ).toBeVisible();
}

/**
 * Makes a move from the war room (Acknowledge, Resolve, ...): the button,
 * then its dialog, with an optional message. Acknowledge is one click in the
 * command bar, its message typed beside it.
 */
export async function move(page: Page, action: string, message?: string) {
  if (action === 'Acknowledge') {
    const bar = page.getByRole('region', { name: 'Incident command bar' });
    if (message !== undefined) {
      await bar.getByLabel('Message (optional)').fill(message);
    }
    await bar.getByRole('button', { name: action, exact: true }).click();
    await expect(bar.getByText('Investigating')).toBeVisible();
    return;
  }
  await page.getByRole('button', { name: action, exact: true }).click();
  const dialog = page.getByRole('dialog');
  if (message !== undefined) {
    await dialog.getByLabel('Message (optional)').fill(message);
  }
  await dialog.getByRole('button', { name: action, exact: true }).click();
  await expect(dialog).toBeHidden();
}
