import { test, expect } from '@playwright/test';
import { move, screenshots, signIn } from './helpers';

test("a war room's runbooks, automation and blast radius", async ({ page }) => {
  const title = `Payments timeouts ${Date.now()}`;
  await signIn(page);

  await page.goto('/catalog/default/component/payments-api');
  // The entity card lists the component's runbooks (this one comes from
  // the vigil.dev/runbooks annotation, so only that card has it).
  await expect(
    page.getByRole('link', { name: /Card processor failover/ }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Open incident' }).click();
  const form = page.getByRole('dialog');
  await form.getByLabel('Title').fill(title);
  await form.getByRole('button', { name: 'Open incident' }).click();
  await expect(page).toHaveURL(/\/incidents\/INC-\d+$/);
  const ref = page.url().split('/').pop()!;
  // Acknowledging makes guest the responder, who may notify owners.
  await move(page, 'Acknowledge');

  // Runbooks: the catalog link, the annotation's and config's, merged.
  await expect(
    page.getByRole('link', { name: /Card processor failover/ }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: /Payments on-call handbook/ }),
  ).toBeVisible();
  const run = page.getByRole('button', { name: 'Run Restart pods' });
  await expect(run).toBeVisible();

  // Blast radius: checkout-web depends on payments-api, storefront on it.
  const blast = page.getByRole('region', { name: 'group:default/team-search' });
  await expect(
    blast.getByRole('link', { name: 'Storefront' }).first(),
  ).toBeVisible();
  await expect(page.getByText('depth 1').first()).toBeVisible();
  await page.getByRole('button', { name: 'Notify owners' }).click();
  await expect(page.getByText(/Notified \d+ teams?/)).toBeVisible();
  await expect(page.getByText(/Notified the owners of \d+/)).toBeVisible();
  await page
    .getByText('Blast radius', { exact: true })
    .scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshots}/40-war-room-runbooks.png` });

  // Run opens the scaffolder with the incident and component prefilled.
  await run.click();
  await expect(page.getByRole('textbox', { name: /^Incident/ })).toHaveValue(
    ref,
  );
  await expect(page.getByRole('textbox', { name: 'Component' })).toHaveValue(
    'component:default/payments-api',
  );
});
