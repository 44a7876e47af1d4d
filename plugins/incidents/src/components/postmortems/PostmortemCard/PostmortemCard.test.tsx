import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  createFakeIncidentsApi,
  makeIncident,
  makePostmortem,
  renderWithApis,
} from '../../../__testUtils__';
import { PostmortemCard } from './PostmortemCard';

const notStarted = () =>
  Promise.reject(Object.assign(new Error('none yet'), { statusCode: 404 }));

describe('PostmortemCard', () => {
  it("shows the incident's postmortem and related ones from earlier incidents", async () => {
    const incidentsApi = createFakeIncidentsApi({
      getPostmortem: jest.fn(async () => makePostmortem({ status: 'review' })),
      listRelatedPostmortems: jest.fn(async () => [
        makePostmortem({
          id: 'pm-0',
          title: 'Postmortem: INC-0 Certificates expired',
          status: 'published',
          publishedAt: '2026-10-01T08:00:00.000Z',
        }),
      ]),
    });
    await renderWithApis(
      <PostmortemCard
        incident={makeIncident({ status: 'postmortem' })}
        canStart
      />,
      { apis: { incidentsApi } },
    );
    expect(await screen.findByText('In review')).toBeInTheDocument();
    expect(
      screen.getByText('Postmortem: INC-0 Certificates expired'),
    ).toBeInTheDocument();
    expect(incidentsApi.listRelatedPostmortems).toHaveBeenCalledWith('id-1');
  });

  it('creates a missing postmortem of an incident in postmortem', async () => {
    const incidentsApi = createFakeIncidentsApi({
      getPostmortem: jest.fn(notStarted),
    });
    await renderWithApis(
      <PostmortemCard
        incident={makeIncident({ status: 'postmortem' })}
        canStart
      />,
      { apis: { incidentsApi } },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create from template' }),
    );
    await waitFor(() =>
      expect(incidentsApi.startPostmortem).toHaveBeenCalledWith('id-1'),
    );
  });

  it('explains when the postmortem starts, without asking for one', async () => {
    const incidentsApi = createFakeIncidentsApi({
      getPostmortem: jest.fn(notStarted),
    });
    await renderWithApis(
      <PostmortemCard
        incident={makeIncident({ status: 'investigating' })}
        canStart
      />,
      { apis: { incidentsApi } },
    );
    expect(
      await screen.findByText(
        'The postmortem starts once the incident is resolved.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No published postmortems of earlier incidents/),
    ).toBeInTheDocument();
    // no 404 on every war room load
    expect(incidentsApi.getPostmortem).not.toHaveBeenCalled();
  });
});
