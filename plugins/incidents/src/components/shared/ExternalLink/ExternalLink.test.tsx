import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { ExternalLink } from './ExternalLink';

describe('ExternalLink', () => {
  it('links http and https URLs', async () => {
    await renderInTestApp(
      <ExternalLink url="https://grafana.example/d/1">dashboard</ExternalLink>,
    );
    expect(screen.getByRole('link', { name: /dashboard/ })).toHaveAttribute(
      'href',
      'https://grafana.example/d/1',
    );
  });

  it.each([
    // eslint-disable-next-line no-script-url
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'not a url',
  ])('shows %p as text, not as a link', async url => {
    await renderInTestApp(<ExternalLink url={url}>evidence</ExternalLink>);
    expect(screen.getByText('evidence')).toBeInTheDocument();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });
});
