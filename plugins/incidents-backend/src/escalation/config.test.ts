import { ConfigReader } from '@backstage/config';
import { readEscalationConfig } from './config';

const read = (incidents: object) =>
  readEscalationConfig(new ConfigReader({ incidents }), ['primary']);

describe('readEscalationConfig', () => {
  it('reads policies with defaults and normalised refs', () => {
    const config = read({
      escalation: {
        policies: [
          {
            id: 'payments',
            services: ['payments-api'],
            steps: [
              { targets: [{ schedule: 'primary' }] },
              {
                targets: [{ user: 'Carol' }, { group: 'sre' }],
                delayMinutes: 5,
              },
            ],
          },
        ],
      },
    });
    expect(config.pagingSeverities).toEqual(['sev1', 'sev2']);
    expect(config.interval).toEqual({ seconds: 2 });
    expect(config.policies).toEqual([
      {
        id: 'payments',
        name: 'payments',
        severities: ['sev1', 'sev2'],
        services: ['component:default/payments-api'],
        repeat: 0,
        steps: [
          { targets: [{ schedule: 'primary' }], delayMinutes: 15 },
          {
            targets: [
              { user: 'user:default/carol' },
              { group: 'group:default/sre' },
            ],
            delayMinutes: 5,
          },
        ],
      },
    ]);
    expect(config.retry).toEqual({
      maxAttempts: 5,
      initialBackoffMs: 10_000,
      maxBackoffMs: 600_000,
    });
  });

  it('maps severity aliases and reads webhooks and retry durations', () => {
    const config = read({
      escalation: { pagingSeverities: ['P1', 'critical', 'sev3'] },
      paging: {
        webhooks: [
          {
            id: 'chat',
            url: 'https://chat.example/h',
            secret: 'x',
            severities: ['P1'],
          },
        ],
        retry: {
          maxAttempts: 3,
          initialBackoff: { seconds: 1 },
          maxBackoff: { minutes: 1 },
        },
      },
    });
    expect(config.pagingSeverities).toEqual(['sev1', 'sev1', 'sev3']);
    expect(config.webhooks).toEqual([
      {
        id: 'chat',
        url: 'https://chat.example/h',
        secret: 'x',
        severities: ['sev1'],
      },
    ]);
    expect(config.retry).toEqual({
      maxAttempts: 3,
      initialBackoffMs: 1000,
      maxBackoffMs: 60_000,
    });
  });

  it.each([
    [
      { steps: [{ targets: [{ schedule: 'nope' }] }] },
      "incidents.escalation.policies[0] (p).steps[0].targets[0]: unknown schedule 'nope'",
    ],
    [
      { steps: [{ targets: [{ user: 'a', group: 'b' }] }] },
      'must have exactly one of schedule, user or group',
    ],
    [
      { steps: [{ targets: [{ team: 'a' }] }] },
      "'team' is not one of schedule, user or group",
    ],
    [{ steps: [] }, 'incidents.escalation.policies[0] (p) has no steps'],
    [
      { steps: [{ targets: [{ user: 'a' }], delayMinutes: 0 }] },
      'delayMinutes must be positive',
    ],
    [
      { severities: ['sev9'], steps: [{ targets: [{ user: 'a' }] }] },
      "unknown severity 'sev9'",
    ],
    [
      { repeat: -1, steps: [{ targets: [{ user: 'a' }] }] },
      'repeat must be a whole number from 0 to 10',
    ],
  ])('stops on a bad policy: %j', (policy, message) => {
    expect(() =>
      read({ escalation: { policies: [{ id: 'p', ...policy }] } }),
    ).toThrow(message);
  });

  it('reads the default policy and stops on an unknown one', () => {
    const policies = [{ id: 'p', steps: [{ targets: [{ user: 'a' }] }] }];
    expect(
      read({ escalation: { policies, defaultPolicy: 'p' } }).defaultPolicy,
    ).toBe('p');
    expect(() =>
      read({ escalation: { policies, defaultPolicy: 'nope' } }),
    ).toThrow("incidents.escalation.defaultPolicy: unknown policy 'nope'");
  });

  it('stops on a duplicate policy id and a non-http webhook', () => {
    const step = { targets: [{ user: 'a' }] };
    expect(() =>
      read({
        escalation: {
          policies: [
            { id: 'p', steps: [step] },
            { id: 'p', steps: [step] },
          ],
        },
      }),
    ).toThrow('duplicate policy id');
    expect(() =>
      read({
        paging: { webhooks: [{ id: 'w', url: 'ftp://x', secret: 's' }] },
      }),
    ).toThrow('url must be http(s)');
  });
});
