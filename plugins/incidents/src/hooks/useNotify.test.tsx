import { act, renderHook } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { alertApiRef } from '@backstage/core-plugin-api';
import { toastApiRef } from '@backstage/frontend-plugin-api';
import { ReactNode } from 'react';
import { useNotify } from './useNotify';

function setup(withToasts: boolean) {
  const closed: string[] = [];
  const toastApi = {
    post: jest.fn((toast: { title: string }) => ({
      close: () => closed.push(toast.title),
    })),
  };
  const alertApi = { post: jest.fn(), alert$: jest.fn() };
  const apis: any[] = [[alertApiRef, alertApi]];
  if (withToasts) {
    apis.push([toastApiRef, toastApi]);
  }
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={apis as any}>{children}</TestApiProvider>
  );
  const { result } = renderHook(() => useNotify(), { wrapper });
  return { notify: result.current, toastApi, alertApi, closed };
}

describe('useNotify', () => {
  it('replaces the previous toast instead of stacking a second one', () => {
    const { notify, toastApi, closed } = setup(true);
    act(() => notify('INC-1 opened', 'info', { transient: true }));
    expect(closed).toEqual([]);
    act(() => notify('INC-2 opened', 'info', { transient: true }));
    act(() => notify('Could not resolve INC-2', 'error'));
    expect(closed).toEqual(['INC-1 opened', 'INC-2 opened']);
    expect(toastApi.post).toHaveBeenLastCalledWith({
      title: 'Could not resolve INC-2',
      status: 'danger',
      timeout: undefined,
    });
    expect(toastApi.post).toHaveBeenCalledWith({
      title: 'INC-1 opened',
      status: 'info',
      timeout: 5_000,
    });
  });

  it('uses the alert API in a legacy app without the toast API', () => {
    const { notify, alertApi } = setup(false);
    notify('Postmortem saved', 'success', { transient: true });
    notify('Could not save', 'error');
    expect(alertApi.post.mock.calls).toEqual([
      [
        {
          message: 'Postmortem saved',
          severity: 'success',
          display: 'transient',
        },
      ],
      [{ message: 'Could not save', severity: 'error' }],
    ]);
  });
});
