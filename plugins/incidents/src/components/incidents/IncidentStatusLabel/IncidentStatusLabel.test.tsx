import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { IncidentStatusLabel } from './IncidentStatusLabel';

describe('IncidentStatusLabel', () => {
  it.each([
    ['open', 'Open', 'error'],
    ['investigating', 'Investigating', 'warning'],
    ['resolved', 'Resolved', 'ok'],
  ] as const)('shows %s as %s', async (status, label, kind) => {
    await renderInTestApp(<IncidentStatusLabel status={status} />);
    expect(screen.getByText(label)).toBeInTheDocument();
    expect(screen.getByLabelText(`Status ${kind}`)).toBeInTheDocument();
  });
});
