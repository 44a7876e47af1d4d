import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithApis } from '../../../__testUtils__';
import { PersonName, systemActorName } from './PersonName';

describe('PersonName', () => {
  it('links a user to the catalog', async () => {
    await renderWithApis(<PersonName actor="user:default/carol" />);
    expect(await screen.findByRole('link', { name: /carol/i })).toHaveAttribute(
      'href',
      '/catalog/default/user/carol',
    );
  });

  it('names a system actor readably, with its ref on hover', async () => {
    expect(systemActorName('system:storm-detector')).toBe('Storm detector');
    await renderWithApis(<PersonName actor="system:vigil-demo-seed" />);
    await userEvent.hover(screen.getByText('Vigil demo seed'));
    expect(
      await screen.findByText('system:vigil-demo-seed'),
    ).toBeInTheDocument();
  });
});
