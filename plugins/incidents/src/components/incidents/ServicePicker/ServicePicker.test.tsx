import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithApis } from '../../../__testUtils__';
import { ServicePicker } from './ServicePicker';

describe('ServicePicker', () => {
  it('shows catalog titles and reports full refs', async () => {
    const onChange = jest.fn();
    await renderWithApis(
      <ServicePicker
        value={['component:default/payments-api']}
        onChange={onChange}
      />,
    );
    expect(await screen.findByText('Payments API')).toBeInTheDocument();

    await userEvent.type(screen.getByRole('textbox'), 'Check');
    await userEvent.click(
      await screen.findByRole('option', { name: 'Checkout' }),
    );

    expect(onChange).toHaveBeenCalledWith([
      'component:default/payments-api',
      'component:default/checkout',
    ]);
  });
});
