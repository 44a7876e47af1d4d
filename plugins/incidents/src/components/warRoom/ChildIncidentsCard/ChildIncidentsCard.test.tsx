import { screen } from '@testing-library/react';
import { makeDetail, renderWithApis } from '../../../__testUtils__';
import { ChildIncidentsCard } from './ChildIncidentsCard';

describe('ChildIncidentsCard', () => {
  it('links each merged duplicate', async () => {
    await renderWithApis(
      <ChildIncidentsCard
        incident={makeDetail({
          children: [
            {
              id: 'c1',
              ref: 'INC-5',
              title: 'Payments 500s',
              status: 'open',
              severity: 'sev2',
            },
          ],
        })}
      />,
    );
    expect(screen.getByText('Merged duplicates (1)')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'INC-5' })).toHaveAttribute(
      'href',
      '/incidents/INC-5',
    );
    expect(screen.getByText('SEV2')).toBeInTheDocument();
  });

  it('renders nothing without children', async () => {
    const { container } = await renderWithApis(
      <ChildIncidentsCard incident={makeDetail()} />,
    );
    expect(container).toBeEmptyDOMElement();
  });
});
