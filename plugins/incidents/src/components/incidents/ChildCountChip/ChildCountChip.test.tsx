import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { ChildCountChip, isStormParent } from './ChildCountChip';

describe('ChildCountChip', () => {
  it('shows "storm · N" on a storm parent', async () => {
    await renderInTestApp(
      <ChildCountChip
        incident={{ openedBy: 'system:storm-detector', childCount: 12 }}
      />,
    );
    expect(screen.getByText('storm · 12')).toBeInTheDocument();
    expect(
      screen.getByTitle('An alert storm: 12 incidents folded into this one'),
    ).toBeInTheDocument();
  });

  it('counts merged children of any other incident', async () => {
    await renderInTestApp(
      <ChildCountChip
        incident={{ openedBy: 'user:default/alice', childCount: 1 }}
      />,
    );
    expect(screen.getByText('1 child')).toBeInTheDocument();
    expect(screen.queryByText(/storm/)).not.toBeInTheDocument();
  });

  it('shows nothing without children', async () => {
    const { container } = await renderInTestApp(
      <ChildCountChip
        incident={{ openedBy: 'system:storm-detector', childCount: 0 }}
      />,
    );
    expect(container).toBeEmptyDOMElement();
  });

  it('knows storm parents by the actor that opened them', () => {
    expect(
      isStormParent({ openedBy: 'system:storm-detector', childCount: 3 }),
    ).toBe(true);
    expect(
      isStormParent({ openedBy: 'alertmanager:demo', childCount: 3 }),
    ).toBe(false);
  });
});
