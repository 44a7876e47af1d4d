import { useEffect, useState } from 'react';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { IncidentRoles } from '@vigil/plugin-incidents-common';
import { UpdateIncidentRolesRequest } from '../../../api';
import { splitList, toUserRef } from '../../../utils/refs';
import { DialogButtons } from '../../shared/DialogButtons';
import { UserPicker } from '../../shared/UserPicker';

type Field = 'commander' | 'commsOwner' | 'technicalLead' | 'responders';

const FIELDS: Array<[Field, string]> = [
  ['commander', 'Commander'],
  ['commsOwner', 'Comms owner'],
  ['technicalLead', 'Technical lead'],
  ['responders', 'Responders'],
];

function toForm(roles: IncidentRoles): Record<Field, string> {
  return {
    commander: roles.commander ?? '',
    commsOwner: roles.commsOwner ?? '',
    technicalLead: roles.technicalLead ?? '',
    responders: roles.responders.join(', '),
  };
}

/** Parses the form, or names the first field that isn't a user ref. */
function parse(
  form: Record<Field, string>,
): { roles: UpdateIncidentRolesRequest } | { invalid: Field } {
  const roles: UpdateIncidentRolesRequest = {};
  for (const field of ['commander', 'commsOwner', 'technicalLead'] as const) {
    try {
      roles[field] = toUserRef(form[field]);
    } catch {
      return { invalid: field };
    }
  }
  try {
    roles.responders = splitList(form.responders).map(r => toUserRef(r)!);
  } catch {
    return { invalid: 'responders' };
  }
  return { roles };
}

/** Edits who leads, communicates and responds. */
export const EditRolesDialog = (props: {
  open: boolean;
  roles: IncidentRoles;
  busy: boolean;
  onClose: () => void;
  onSave: (roles: UpdateIncidentRolesRequest) => void;
}) => {
  const { open, roles, busy, onClose, onSave } = props;
  const [form, setForm] = useState(() => toForm(roles));
  const [invalid, setInvalid] = useState<Field>();

  useEffect(() => {
    if (open) {
      setForm(toForm(roles));
      setInvalid(undefined);
    }
  }, [open, roles]);

  const save = () => {
    const result = parse(form);
    if ('invalid' in result) {
      setInvalid(result.invalid);
    } else {
      onSave(result.roles);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="edit-roles-title"
    >
      <DialogTitle id="edit-roles-title">Edit roles</DialogTitle>
      <DialogContent>
        {FIELDS.filter(([field]) => field !== 'responders').map(
          ([field, label]) => (
            <UserPicker
              key={field}
              name={`role-${field}`}
              label={label}
              value={form[field] || undefined}
              onChange={ref => setForm(f => ({ ...f, [field]: ref ?? '' }))}
            />
          ),
        )}
        <TextField
          id="role-responders"
          label="Responders"
          fullWidth
          margin="normal"
          placeholder="user:default/alice, bob"
          value={form.responders}
          onChange={e => setForm(f => ({ ...f, responders: e.target.value }))}
          error={invalid === 'responders'}
          helperText={
            invalid === 'responders'
              ? 'Not a user reference'
              : 'Comma separated'
          }
        />
      </DialogContent>
      <DialogButtons
        confirmLabel="Save"
        onConfirm={save}
        onCancel={onClose}
        busy={busy}
      />
    </Dialog>
  );
};
