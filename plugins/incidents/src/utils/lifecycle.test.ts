import { describeSignal } from './lifecycle';

const signal = {
  incidentId: 'id-3',
  ref: 'INC-3',
  title: 'Checkout down',
  status: 'investigating',
  severity: 'sev1',
  actor: 'user:default/guest',
};

describe('describeSignal', () => {
  it('describes moves and new incidents', () => {
    expect(describeSignal({ ...signal, type: 'incident.acknowledged' })).toBe(
      'INC-3 acknowledged by user:default/guest',
    );
    expect(
      describeSignal({ ...signal, type: 'incident.postmortem_started' }),
    ).toBe('INC-3 postmortem started by user:default/guest');
    expect(describeSignal({ ...signal, type: 'incident.opened' })).toBe(
      'INC-3 opened by user:default/guest: Checkout down',
    );
  });

  it('stays quiet for edits and notes', () => {
    expect(describeSignal({ ...signal, type: 'incident.updated' })).toBe(
      undefined,
    );
  });
});
