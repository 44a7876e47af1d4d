import { act, renderHook, waitFor } from '@testing-library/react';
import { ReactNode } from 'react';
import { IncidentSignal } from '@vigil/plugin-incidents-common';
import { createTestApis, TestApis } from '../__testUtils__';
import { useIncidentSignals } from './useIncidentSignals';

const acknowledged: IncidentSignal = {
  type: 'incident.acknowledged',
  incidentId: 'id-3',
  ref: 'INC-3',
  title: 'Checkout down',
  status: 'investigating',
  severity: 'sev1',
  actor: 'user:default/guest',
};

function setup(notify: boolean) {
  const apis = createTestApis();
  const onSignal = jest.fn();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApis apis={apis}>{children}</TestApis>
  );
  const { result } = renderHook(
    () => useIncidentSignals(onSignal, { notify }),
    { wrapper },
  );
  return { apis, onSignal, result };
}

describe('useIncidentSignals', () => {
  it('subscribes to the incidents channel and calls back', () => {
    const { apis, onSignal, result } = setup(false);
    expect(result.current.isSignalsAvailable).toBe(true);
    expect(apis.signalApi.subscribe).toHaveBeenCalledWith(
      'incidents',
      expect.any(Function),
    );

    act(() => apis.signalApi.publish('incidents', acknowledged));

    expect(onSignal).toHaveBeenCalledWith(acknowledged);
    expect(apis.alertApi.post).not.toHaveBeenCalled();
  });

  it('toasts lifecycle moves when asked to', async () => {
    const { apis } = setup(true);
    act(() => apis.signalApi.publish('incidents', acknowledged));
    await waitFor(() =>
      expect(apis.alertApi.post).toHaveBeenCalledWith({
        message: 'INC-3 acknowledged by user:default/guest',
        severity: 'info',
        display: 'transient',
      }),
    );
  });

  it('ignores messages that are not incident signals', () => {
    const { apis, onSignal } = setup(true);
    act(() => apis.signalApi.publish('incidents', { hello: 'x' } as any));
    expect(onSignal).not.toHaveBeenCalled();
  });
});
