import { render, screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { PostmortemMarkdown } from './PostmortemMarkdown';

describe('PostmortemMarkdown', () => {
  it('renders a script tag in the body as text, not as markup', () => {
    const { container } = render(
      <PostmortemMarkdown
        content={
          '## Impact\n\n<script>window.pwned = true</script>\n\n<img src=x onerror="window.pwned=true">\n\nText <b>bold?</b>'
        }
      />,
    );
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(screen.getByTestId('postmortem-preview').textContent).toContain(
      '<script>window.pwned = true</script>',
    );
    expect(container.textContent).toContain(
      '<img src=x onerror="window.pwned=true">',
    );
    expect((window as any).pwned).toBeUndefined();
  });

  it('drops javascript: links and opens others in a new tab', () => {
    render(
      <PostmortemMarkdown content="[bad](javascript:alert(1)) and [dashboard](https://grafana.example/d/1)" />,
    );
    expect(screen.getByText('bad').closest('a')).toBeNull();
    const good = screen.getByRole('link', { name: 'dashboard' });
    expect(good).toHaveAttribute('href', 'https://grafana.example/d/1');
    expect(good).toHaveAttribute('rel', 'noopener noreferrer nofollow');
  });

  it('renders GitHub-flavoured tables and task lists, with heading ids for the outline', () => {
    const { container } = render(
      <PostmortemMarkdown
        content={
          '## Root cause\n\n| time | what |\n| --- | --- |\n| 05:00 | opened |\n\n- [x] done item\n- [ ] open item'
        }
      />,
    );
    expect(screen.getByRole('table')).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: 'opened' })).toBeInTheDocument();
    expect(container.querySelectorAll('input[type="checkbox"]')).toHaveLength(
      2,
    );
    expect(screen.getByRole('heading', { name: 'Root cause' })).toHaveAttribute(
      'id',
      'pm-root-cause',
    );
  });

  it('shows entity refs in the text by name', async () => {
    await renderInTestApp(
      <PostmortemMarkdown
        content={'Commander: user:default/carol\n\n- Paged user:default/dave'}
      />,
    );
    expect(screen.getByText('carol')).toBeInTheDocument();
    expect(screen.getByText('dave')).toBeInTheDocument();
    expect(screen.queryByText(/user:default/)).not.toBeInTheDocument();
  });
});
