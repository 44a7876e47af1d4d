import { ReactNode } from 'react';
import { WarningPanel } from '@backstage/core-components';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import { toUserRef } from '../../../utils/refs';

export { fromLocalInput, toLocalInput } from '../../../utils/dates';

/** Why a typed user can't be used, or undefined when it can. */
export function userError(input: string): string | undefined {
  try {
    return toUserRef(input) ? undefined : 'Required';
  } catch {
    return 'Not a user reference, e.g. alice or user:default/alice';
  }
}

/**
 * A user input that suggests the schedule's members (native datalist) and
 * takes any user ref.
 */
export const UserRefField = (props: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  members: string[];
  error?: string;
  label?: string;
}) => {
  const { id, value, onChange, members, error, label = 'User' } = props;
  const listId = `${id}-members`;
  return (
    <>
      <TextField
        id={id}
        label={label}
        value={value}
        onChange={e => onChange(e.target.value)}
        required
        fullWidth
        margin="normal"
        error={Boolean(error)}
        helperText={error ?? 'A member of the rotation or any user'}
        inputProps={{ list: listId, autoComplete: 'off' }}
      />
      <datalist id={listId}>
        {members.map(member => (
          <option key={member} value={member}>
            {displayUser(member)}
          </option>
        ))}
      </datalist>
    </>
  );
};

/** `alice` for `user:default/alice`. */
export function displayUser(ref: string): string {
  try {
    return humanizeEntityRef(parseEntityRef(ref), { defaultKind: 'user' });
  } catch {
    return ref;
  }
}

/** The backend's answer when a change failed, kept in the dialog. */
export const DialogError = (props: { title: string; children: ReactNode }) => (
  <Box mt={2}>
    <WarningPanel
      severity="error"
      title={props.title}
      message={props.children}
      defaultExpanded
    />
  </Box>
);
