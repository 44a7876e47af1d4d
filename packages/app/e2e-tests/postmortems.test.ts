import { test, expect } from '@playwright/test';
import { move, screenshots, signIn } from './helpers';

test('resolve, start the postmortem, edit, review, publish as admin, find it in search', async ({
  page,
  browser,
}) => {
  const stamp = Date.now();
  const title = `Ledger timeouts ${stamp}`;
  const lesson = `Rotate the ledger pool before peak ${stamp}`;

  // guest (team-payments) opens an incident on the ledger and works it to
  // resolved: acknowledging makes guest the responder.
  await signIn(page);
  await page.goto('/catalog/default/component/ledger');
  await page.getByRole('button', { name: 'Open incident' }).click();
  const form = page.getByRole('dialog');
  await form.getByLabel('Title').fill(title);
  await form.getByRole('button', { name: 'Open incident' }).click();
  await expect(page).toHaveURL(/\/incidents\/INC-\d+$/);
  const ref = page.url().split('/').pop()!;
  await move(page, 'Acknowledge');
  await move(page, 'Resolve');
  // Start postmortem opens the editor on the new draft.
  await move(page, 'Start postmortem');
  await expect(page).toHaveURL(new RegExp(`/incidents/${ref}/postmortem$`));

  // The template is pre-filled from the incident.
  const editor = page.getByRole('textbox', { name: 'Postmortem (Markdown)' });
  await expect(editor).toHaveValue(new RegExp(`# Postmortem: ${ref} ${title}`));
  await expect(editor).toHaveValue(/## Why wasn't it caught earlier\?/);
  const outline = page.getByRole('list', { name: 'Outline' });
  await expect(outline.getByText('Lessons learned')).toBeVisible();

  // Edit with live preview; a script tag stays text.
  await editor.press('End');
  await editor.press('ControlOrMeta+End');
  await editor.pressSequentially(
    `\n## Takeaway\n\n**${lesson}**\n\n<script>window.pwned = 1</script>\n`,
  );
  const preview = page.getByTestId('postmortem-preview');
  await expect(
    preview.getByRole('heading', { name: 'Takeaway' }),
  ).toBeVisible();
  await expect(preview.locator('strong', { hasText: lesson })).toBeVisible();
  await expect(preview).toContainText('<script>window.pwned = 1</script>');
  expect(await page.evaluate(() => (window as any).pwned)).toBeUndefined();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText(/^Version 2, revision 1/)).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/30-postmortem-editor.png`,
    fullPage: true,
  });

  // guest sends it to review but, not an admin, gets no Publish button.
  await page.getByRole('button', { name: 'Send to review' }).click();
  await expect(page.getByText('In review').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Publish' })).toHaveCount(0);

  // An admin (alice, sre) publishes it: a second browser whose sign-in
  // gets the demoAdmin session (app-config.e2e.yaml).
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
  await adminPage.getByRole('button', { name: 'Publish' }).click();
  await expect(
    adminPage.getByText(/^Published by user:default\/alice/),
  ).toBeVisible();
  await expect(
    adminPage.getByRole('textbox', { name: 'Postmortem (Markdown)' }),
  ).toHaveCount(0);
  await adminPage.screenshot({
    path: `${screenshots}/31-postmortem-published.png`,
    fullPage: true,
  });
  await admin.close();

  // Listed as published on the postmortems page...
  await page.goto('/postmortems');
  const row = page.getByRole('row', { name: new RegExp(ref) });
  await expect(row.getByText('Published')).toBeVisible();
  await page.screenshot({ path: `${screenshots}/32-postmortems-page.png` });

  // ...and found in Backstage Search once the collator has run.
  await expect(async () => {
    await page.goto(`/search?query=${encodeURIComponent(lesson)}`);
    await expect(
      page.getByRole('link', { name: new RegExp(`Postmortem: ${ref}`) }),
    ).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 60_000 });
  await page.screenshot({ path: `${screenshots}/33-search.png` });

  // The ledger's page lists it under Postmortems, and a later incident on
  // the ledger shows it as related.
  await page.goto('/catalog/default/component/ledger');
  const section = page.getByRole('region', { name: 'Postmortems' });
  await expect(
    section.getByRole('link', { name: new RegExp(`Postmortem: ${ref}`) }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Open incident' }).click();
  await page
    .getByRole('dialog')
    .getByLabel('Title')
    .fill(`Ledger again ${stamp}`);
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Open incident' })
    .click();
  await expect(page).toHaveURL(/\/incidents\/INC-\d+$/);
  await expect(
    page.getByRole('link', { name: new RegExp(`Postmortem: ${ref}`) }),
  ).toBeVisible();
  await page
    .getByRole('heading', { name: 'Related postmortems' })
    .scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshots}/34-related-postmortems.png` });
});
