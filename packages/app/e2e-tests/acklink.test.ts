import { test, expect, APIRequestContext } from '@playwright/test';
import { screenshots, signIn } from './helpers';

const BACKEND = process.env.PLAYWRIGHT_BACKEND_URL ?? 'http://localhost:7007';
const SEED = { Authorization: 'Bearer vigil-demo-seed-token' };

/** A Backstage token of a sign-in provider (guest, or demoAdmin = alice). */
async function tokenOf(request: APIRequestContext, provider: string) {
  const res = await request.get(
    `${BACKEND}/api/auth/${provider}/refresh?optional&env=development`,
    { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
  );
  expect(res.ok()).toBe(true);
  return (await res.json()).backstageIdentity.token as string;
}

test('acknowledges an incident from the one-click link in its page', async ({
  page,
}) => {
  const guest = {
    Authorization: `Bearer ${await tokenOf(page.request, 'guest')}`,
  };
  const admin = {
    Authorization: `Bearer ${await tokenOf(page.request, 'demoAdmin')}`,
  };
  // guest covers payments-primary now, so the payments policy's first step
  // pages guest as soon as the incident opens.
  const now = Date.now();
  const override = await page.request.post(
    `${BACKEND}/api/incidents/schedules/payments-primary/overrides`,
    {
      headers: admin,
      data: {
        userRef: 'user:default/guest',
        start: new Date(now - 60_000).toISOString(),
        end: new Date(now + 2 * 3600_000).toISOString(),
        reason: 'acknowledge-link browser test',
      },
    },
  );
  expect(override.status()).toBe(201);
  const title = `Ack link check ${now}`;
  const opened = await page.request.post(`${BACKEND}/api/incidents/incidents`, {
    headers: SEED,
    data: {
      title,
      severity: 'sev1',
      affectedServices: ['component:default/payments-api'],
    },
  });
  expect(opened.status()).toBe(201);
  const { id, ref } = await opened.json();

  // The page reaches guest as a Backstage notification whose link is the
  // page's acknowledge link.
  let link = '';
  await expect(async () => {
    const res = await page.request.get(
      `${BACKEND}/api/notifications/notifications?limit=50`,
      { headers: guest },
    );
    const { notifications } = await res.json();
    const paged = notifications.find(
      (n: any) => n.payload.title === `Paged: ${ref} ${title}`,
    );
    expect(paged?.payload.link).toMatch(/\/incidents\/ack\?token=/);
    link = paged.payload.link;
  }).toPass({ timeout: 30_000 });

  await signIn(page);
  const path = new URL(link);
  await page.goto(`${path.pathname}${path.search}`);
  await expect(page.getByText(`${ref}: ${title}`)).toBeVisible();
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: `${screenshots}/80-acklink-1440.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${screenshots}/81-acklink-390.png` });
  await page.setViewportSize({ width: 1440, height: 900 });

  await page.getByRole('button', { name: `Acknowledge ${ref}` }).click();
  await expect(page.getByRole('status')).toHaveText(/Acknowledged/);
  await page.screenshot({ path: `${screenshots}/82-acklink-done-1440.png` });

  const incident = await page.request.get(
    `${BACKEND}/api/incidents/incidents/${id}`,
    { headers: SEED },
  );
  expect(await incident.json()).toMatchObject({
    status: 'investigating',
    responder: 'user:default/guest',
    acknowledgedVia: 'link',
  });

  // The link is single use: opened again, it says so and offers nothing.
  await page.reload();
  await expect(page.getByRole('alert')).toHaveText(/already used/);
  await expect(
    page.getByRole('button', { name: `Acknowledge ${ref}` }),
  ).toBeDisabled();
  await page.screenshot({ path: `${screenshots}/83-acklink-used-1440.png` });

  // The war room shows where the acknowledgement came from.
  await page.goto(`/incidents/${ref}`);
  await expect(page.getByText('via the page link').first()).toBeVisible();
});
