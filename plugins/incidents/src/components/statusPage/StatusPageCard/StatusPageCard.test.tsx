import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  createFakeIncidentsApi,
  makeDetail,
  makePublicRecord,
  renderWithApis,
} from '../../../__testUtils__';
import { StatusPageCard } from './StatusPageCard';

const incident = makeDetail();

describe('StatusPageCard', () => {
  it('shows nothing when the status page is off', async () => {
    const { container } = await renderWithApis(
      <StatusPageCard incident={incident} />,
    );
    expect(container).toBeEmptyDOMElement();
  });

  it('shows the public record and posts a public update with a status', async () => {
    const incidentsApi = createFakeIncidentsApi({
      getIncidentStatusPage: jest.fn(async () => ({
        enabled: true,
        mayPublish: true,
        components: ['component:default/payments-api'],
        record: makePublicRecord(),
      })),
    });
    const onChange = jest.fn();
    await renderWithApis(
      <StatusPageCard incident={incident} onChange={onChange} />,
      { apis: { incidentsApi } },
    );
    expect(await screen.findByText('Checkout errors')).toBeInTheDocument();
    expect(
      screen.getByText('Public components: payments-api'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('list', { name: 'Public updates' }),
    ).toHaveTextContent('We are investigating this issue.');
    await userEvent.type(
      screen.getByRole('textbox', { name: /Public update/ }),
      'We rolled back the deploy',
    );
    await userEvent.click(
      screen.getByRole('button', { name: /Public status/ }),
    );
    await userEvent.click(screen.getByRole('option', { name: 'Monitoring' }));
    await userEvent.click(
      screen.getByRole('button', { name: 'Post public update' }),
    );
    await waitFor(() => expect(onChange).toHaveBeenCalled());
    expect(incidentsApi.postPublicUpdate).toHaveBeenCalledWith('id-1', {
      message: 'We rolled back the deploy',
      status: 'monitoring',
    });
  });

  it('publishes an unpublished incident, and offers nothing to those not allowed', async () => {
    const incidentsApi = createFakeIncidentsApi({
      getIncidentStatusPage: jest.fn(async () => ({
        enabled: true,
        mayPublish: true,
        components: ['component:default/payments-api'],
      })),
    });
    await renderWithApis(<StatusPageCard incident={incident} />, {
      apis: { incidentsApi },
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Publish' }),
    );
    await waitFor(() =>
      expect(incidentsApi.publishIncident).toHaveBeenCalledWith('id-1'),
    );

    const readOnly = createFakeIncidentsApi({
      getIncidentStatusPage: jest.fn(async () => ({
        enabled: true,
        mayPublish: false,
        components: [],
        record: makePublicRecord(),
      })),
    });
    await renderWithApis(<StatusPageCard incident={incident} />, {
      apis: { incidentsApi: readOnly },
    });
    expect(await screen.findAllByText('Checkout errors')).not.toHaveLength(0);
    expect(
      screen.queryByRole('button', { name: 'Unpublish' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Post public update' }),
    ).not.toBeInTheDocument();
  });
});
