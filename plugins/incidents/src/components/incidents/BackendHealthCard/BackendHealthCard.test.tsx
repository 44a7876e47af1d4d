import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { IncidentsApi, incidentsApiRef } from '../../../api';
import { BackendHealthCard } from './BackendHealthCard';

const healthy: Partial<IncidentsApi> = {
  getHealth: async () => ({
    status: 'ok',
    database: 'better-sqlite3',
    migration: '20261122000000_init.js',
    time: '2026-11-22T05:00:00.000Z',
  }),
};

const unreachable: Partial<IncidentsApi> = {
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

describe('BackendHealthCard', () => {
  it.each(['card', 'compact'] as const)(
    'shows the backend health (%s)',
    async variant => {
      await renderInTestApp(
        <TestApiProvider apis={[[incidentsApiRef, healthy]]}>
          <BackendHealthCard variant={variant} />
        </TestApiProvider>,
      );
      expect(await screen.findByText('Backend reachable')).toBeInTheDocument();
      expect(screen.getByText('better-sqlite3')).toBeInTheDocument();
      expect(screen.getByText('20261122000000_init.js')).toBeInTheDocument();
    },
  );

  it.each(['card', 'compact'] as const)(
    'says so when the backend cannot be reached (%s)',
    async variant => {
      await renderInTestApp(
        <TestApiProvider apis={[[incidentsApiRef, unreachable]]}>
          <BackendHealthCard variant={variant} />
        </TestApiProvider>,
      );
      expect(
        await screen.findByText(/Backend unreachable/),
      ).toBeInTheDocument();
      expect(screen.queryByText('Backend reachable')).not.toBeInTheDocument();
    },
  );
});
