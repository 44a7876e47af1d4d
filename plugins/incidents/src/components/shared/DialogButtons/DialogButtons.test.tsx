import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DialogButtons } from './DialogButtons';

describe('DialogButtons', () => {
  it('cancels and confirms', async () => {
    const onCancel = jest.fn();
    const onConfirm = jest.fn();
    await renderInTestApp(
      <DialogButtons
        confirmLabel="Save"
        onConfirm={onConfirm}
        onCancel={onCancel}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('disables the action and shows progress while busy', async () => {
    await renderInTestApp(
      <DialogButtons
        confirmLabel="Hand off"
        cancelLabel="Back"
        onConfirm={jest.fn()}
        onCancel={jest.fn()}
        busy
      />,
    );
    expect(screen.getByRole('button', { name: 'Hand off' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Back' })).toBeEnabled();
    expect(screen.getByRole('progressbar')).toBeInTheDocument();
  });

  it('disables the action while it cannot run, without progress', async () => {
    await renderInTestApp(
      <DialogButtons
        confirmLabel="Merge"
        onConfirm={jest.fn()}
        onCancel={jest.fn()}
        disabled
      />,
    );
    expect(screen.getByRole('button', { name: 'Merge' })).toBeDisabled();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });
});
