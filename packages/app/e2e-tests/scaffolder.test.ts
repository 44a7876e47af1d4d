import { test, expect } from '@playwright/test';
import { screenshots, signIn } from './helpers';

test('a failed deploy from the template opens a linked incident and notes the rollback', async ({
  page,
}) => {
  await signIn(page);

  // examples/templates/deploy-with-incident, registered in app-config.yaml
  await page.goto('/create/templates/default/deploy-with-incident');
  await page.getByLabel('Component').click();
  await page.getByRole('option', { name: 'Payments API' }).click();
  await page.getByLabel('Simulate a failed deploy').check();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task page: the output links to the incident the task opened.
  await expect(page).toHaveURL(/\/create\/tasks\/[^/]+$/);
  const taskPath = new URL(page.url()).pathname;
  const incidentLink = page.getByRole('link', { name: /INC-\d+ in Vigil/ });
  await expect(incidentLink).toBeVisible();
  await expect(page.getByText('Deploy failed')).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/20-scaffolder-task.png`,
    fullPage: true,
  });

  // The war room: sev2 for payments-api, this task as the change, the note.
  const incidentUrl = await incidentLink.getAttribute('href');
  expect(incidentUrl).toMatch(/\/incidents\/INC-\d+$/);
  await page.goto(incidentUrl!);
  await expect(
    page.getByRole('heading', {
      name: /INC-\d+: Deploy of payments-api 1\.5\.0 failed/,
    }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: /deploy-with-incident \(scaffolder\)/ }),
  ).toHaveAttribute('href', new RegExp(`${taskPath}$`));
  await expect(
    page.getByText(
      'Rolled payments-api back to the previous release after 1.5.0 failed its health checks.',
    ),
  ).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/21-scaffolder-war-room.png`,
    fullPage: true,
  });
});
