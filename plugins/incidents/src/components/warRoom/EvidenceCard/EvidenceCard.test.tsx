import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeDetail, renderWithApis } from '../../../__testUtils__';
import { EvidenceCard } from './EvidenceCard';

const incident = makeDetail({
  evidence: [
    {
      id: 'ev1',
      incidentId: 'id-1',
      url: 'https://grafana/d/1',
      title: 'Error rates',
      addedBy: 'user:default/alice',
      createdAt: '2026-11-22T05:10:00.000Z',
    },
  ],
});

describe('EvidenceCard', () => {
  it('links the evidence', async () => {
    await renderWithApis(
      <EvidenceCard incident={incident} canAdd={false} onChange={jest.fn()} />,
    );
    expect(screen.getByRole('link', { name: /Error rates/ })).toHaveAttribute(
      'href',
      'https://grafana/d/1',
    );
    expect(
      screen.queryByRole('button', { name: 'Add link' }),
    ).not.toBeInTheDocument();
  });

  it('adds a link and rejects what is not a web address', async () => {
    const onChange = jest.fn();
    const { apis } = await renderWithApis(
      <EvidenceCard incident={incident} canAdd onChange={onChange} />,
    );
    const url = screen.getByRole('textbox', { name: 'URL' });
    await userEvent.type(url, 'grafana');
    expect(screen.getByText('An http(s) address')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add link' })).toBeDisabled();

    await userEvent.clear(url);
    await userEvent.type(url, 'https://logs/q?x=1');
    await userEvent.click(screen.getByRole('button', { name: 'Add link' }));

    await waitFor(() => expect(onChange).toHaveBeenCalled());
    expect(apis.incidentsApi.addEvidence).toHaveBeenCalledWith('id-1', {
      url: 'https://logs/q?x=1',
      title: undefined,
    });
  });
});
