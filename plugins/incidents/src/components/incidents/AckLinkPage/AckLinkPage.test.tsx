import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import { Route, Routes } from 'react-router-dom';
import { createFakeIncidentsApi, renderWithApis } from '../../../__testUtils__';
import { AckLinkPage } from './AckLinkPage';

function responseError(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ) as any,
  );
}

const page = (
  <Routes>
    <Route path="/ack" element={<AckLinkPage />} />
  </Routes>
);

describe('AckLinkPage', () => {
  it('shows what the link acknowledges and acknowledges with one button', async () => {
    const incidentsApi = createFakeIncidentsApi();
    await renderWithApis(page, {
      apis: { incidentsApi },
      routeEntries: ['/ack?token=abc.def'],
    });
    expect(
      await screen.findByText('INC-1: Checkout failing'),
    ).toBeInTheDocument();
    expect(incidentsApi.inspectAckLink).toHaveBeenCalledWith('abc.def');
    await userEvent.click(
      screen.getByRole('button', { name: 'Acknowledge INC-1' }),
    );
    expect(incidentsApi.acknowledgeByLink).toHaveBeenCalledWith('abc.def');
    expect(await screen.findByRole('status')).toHaveTextContent('Acknowledged');
    expect(
      screen.queryByRole('button', { name: 'Acknowledge INC-1' }),
    ).not.toBeInTheDocument();
  });

  it("explains a link that cannot be used (expired, tampered, someone else's)", async () => {
    const incidentsApi = createFakeIncidentsApi({
      inspectAckLink: jest.fn(async () => {
        throw await responseError(
          400,
          'token: This acknowledge link expired at 2026-11-22T09:00:00.000Z',
        );
      }),
    });
    await renderWithApis(page, {
      apis: { incidentsApi },
      routeEntries: ['/ack?token=old'],
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This acknowledge link expired at 2026-11-22T09:00:00.000Z',
    );
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it('disables the button for a used link, saying why', async () => {
    const incidentsApi = createFakeIncidentsApi({
      inspectAckLink: jest.fn(async () => ({
        pageId: 'p',
        recipient: 'user:default/guest',
        step: 2,
        expiresAt: '2026-11-22T09:00:00.000Z',
        canAcknowledge: false,
        reason:
          'This acknowledge link was already used at 2026-11-22T05:00:00.000Z',
        incident: {
          id: 'id-1',
          ref: 'INC-1',
          title: 'Checkout failing',
          severity: 'sev1' as const,
          status: 'investigating' as const,
        },
      })),
    });
    await renderWithApis(page, {
      apis: { incidentsApi },
      routeEntries: ['/ack?token=used'],
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('already used');
    expect(
      screen.getByRole('button', { name: 'Acknowledge INC-1' }),
    ).toBeDisabled();
  });
});
