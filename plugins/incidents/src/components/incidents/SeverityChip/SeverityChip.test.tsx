import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { SeverityChip } from './SeverityChip';

describe('SeverityChip', () => {
  it('shows the severity and explains it', async () => {
    await renderInTestApp(<SeverityChip severity="sev2" />);
    expect(screen.getByText('SEV2')).toBeInTheDocument();
    expect(
      screen.getByTitle(/SEV2 \(high\): Major degradation/),
    ).toBeInTheDocument();
  });
});
