import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { IncidentsApi, incidentsApiRef } from '../../api';
import { IncidentsPage } from './IncidentsPage';

describe('IncidentsPage', () => {
  it('shows the backend health', async () => {
    const api: Partial<IncidentsApi> = {
      getHealth: async () => ({
        status: 'ok',
        database: 'better-sqlite3',
        migration: '20261122000000_init.js',
        time: '2026-11-22T05:00:00.000Z',
      }),
    };
    await renderInTestApp(
      <TestApiProvider apis={[[incidentsApiRef, api]]}>
        <IncidentsPage />
      </TestApiProvider>,
    );
    expect(await screen.findByText('Backend reachable')).toBeInTheDocument();
    expect(screen.getByText('better-sqlite3')).toBeInTheDocument();
    expect(screen.getByText('20261122000000_init.js')).toBeInTheDocument();
  });

  it('says so when the backend cannot be reached', async () => {
    const api: Partial<IncidentsApi> = {
      getHealth: async () => {
        throw await ResponseError.fromResponse(
          new Response('{"error":{"name":"Error","message":"boom"}}', {
            status: 503,
            statusText: 'Service Unavailable',
            headers: { 'Content-Type': 'application/json' },
          }) as any,
        );
      },
    };
    await renderInTestApp(
      <TestApiProvider apis={[[incidentsApiRef, api]]}>
        <IncidentsPage />
      </TestApiProvider>,
    );
    expect(await screen.findByText(/Backend unreachable/)).toBeInTheDocument();
    expect(screen.queryByText('Backend reachable')).not.toBeInTheDocument();
  });
});
