import { screen } from '@testing-library/react';
import { makeEntry, renderWithApis } from '../../../__testUtils__';
import { IncidentTimeline } from './IncidentTimeline';

const entries = [
  makeEntry(),
  makeEntry({
    id: 'e2',
    kind: 'note',
    actor: 'system:storm-detector',
    message: 'Error rate is 40%',
    links: [{ url: 'https://grafana/d/1', title: 'Dashboard' }],
  }),
];

describe('IncidentTimeline', () => {
  it('lists entries oldest first with actor, kind and links', async () => {
    await renderWithApis(
      <IncidentTimeline
        incidentId="id-1"
        entries={entries}
        canNote={false}
        onNoteAdded={jest.fn()}
      />,
    );
    const rendered = screen.getAllByTestId('timeline-entry');
    expect(rendered[0]).toHaveTextContent('Opened the incident');
    expect(rendered[1]).toHaveTextContent('Error rate is 40%');
    expect(rendered[1]).toHaveTextContent('Storm detector');
    expect(screen.getByRole('link', { name: 'alice' })).toHaveAttribute(
      'href',
      '/catalog/default/user/alice',
    );
    expect(screen.getByRole('link', { name: /Dashboard/ })).toHaveAttribute(
      'href',
      'https://grafana/d/1',
    );
    expect(screen.getByTitle('note')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Add note' }),
    ).not.toBeInTheDocument();
  });

  it('offers the note form to those who may add notes', async () => {
    await renderWithApis(
      <IncidentTimeline
        incidentId="id-1"
        entries={[]}
        canNote
        onNoteAdded={jest.fn()}
      />,
    );
    expect(screen.getByText('Nothing logged yet.')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Add note' }),
    ).toBeInTheDocument();
  });

  it('says where an acknowledgement came from', async () => {
    await renderWithApis(
      <IncidentTimeline
        incidentId="id-1"
        entries={[
          makeEntry({
            id: 'e3',
            kind: 'status',
            message: 'Acknowledged',
            data: { from: 'open', to: 'investigating', source: 'slack' },
          }),
          makeEntry({
            id: 'e4',
            kind: 'status',
            message: 'Resolved',
            data: { from: 'investigating', to: 'resolved' },
          }),
        ]}
        canNote={false}
        onNoteAdded={jest.fn()}
      />,
    );
    const rendered = screen.getAllByTestId('timeline-entry');
    expect(rendered[0]).toHaveTextContent('via Slack');
    expect(rendered[1]).not.toHaveTextContent('via');
  });
});
