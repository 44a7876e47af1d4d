import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { DenseTable } from './DenseTable';

type Row = { id: string; name: string };
const columns = [{ title: 'Name', field: 'name' as const }];

describe('DenseTable', () => {
  it('shows the rows in the order given, with a footer', async () => {
    await renderInTestApp(
      <DenseTable<Row>
        title="Things"
        columns={columns}
        data={[
          { id: '2', name: 'zeta' },
          { id: '1', name: 'alpha' },
        ]}
        emptyText="Nothing here."
        footer={<span>1–2 of 2</span>}
      />,
    );
    const cells = screen.getAllByRole('cell').map(c => c.textContent);
    expect(cells).toEqual(['zeta', 'alpha']);
    expect(screen.getByText('1–2 of 2')).toBeInTheDocument();
    expect(screen.queryByText('Nothing here.')).not.toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('says what an empty table means, and shows a bar while reloading', async () => {
    await renderInTestApp(
      <DenseTable<Row>
        title="Things"
        columns={columns}
        data={[]}
        emptyText="Nothing here."
        reloading
      />,
    );
    expect(screen.getByText('Nothing here.')).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toBeInTheDocument();
  });

  it('shows skeleton rows on the first load, never the empty text', async () => {
    await renderInTestApp(
      <DenseTable<Row>
        title="Things"
        columns={columns}
        data={[]}
        emptyText="Nothing here."
        isLoading
      />,
    );
    expect(
      screen.getByRole('progressbar', { name: 'Loading things' }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Nothing here.')).not.toBeInTheDocument();
  });
});
