import { ReactNode } from 'react';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import DialogActions from '@material-ui/core/DialogActions';

/** Props of {@link DialogButtons}. */
export interface DialogButtonsProps {
  /** The primary action, e.g. "Save". */
  confirmLabel: ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
  /** "Cancel" unless given; "Back" where closing returns to a choice. */
  cancelLabel?: string;
  /** The action is running: its button is disabled and a spinner shows. */
  busy?: boolean;
  /** The action can't run yet, e.g. a field is invalid. */
  disabled?: boolean;
}

/**
 * The button row of a dialog: cancel, then the primary action, with a
 * spinner beside them while the action runs.
 */
export const DialogButtons = (props: DialogButtonsProps) => {
  const {
    confirmLabel,
    onConfirm,
    onCancel,
    cancelLabel = 'Cancel',
    busy = false,
    disabled = false,
  } = props;
  return (
    <DialogActions>
      {busy && <CircularProgress size={20} aria-label="Working" />}
      <Button onClick={onCancel}>{cancelLabel}</Button>
      <Button
        color="primary"
        variant="contained"
        onClick={onConfirm}
        disabled={busy || disabled}
      >
        {confirmLabel}
      </Button>
    </DialogActions>
  );
};
