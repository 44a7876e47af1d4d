import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import {
  ACTION_ITEM_HORIZONS,
  ActionItemHorizon,
} from '@vigil/plugin-incidents-common';
import { incidentsApiRef } from '../../../api';
import { useRunAction } from '../../../hooks';
import { toUserRef } from '../../../utils/refs';

const empty = { title: '', owner: '', dueDate: '', horizon: '', link: '' };

/** How horizons read in the form and the table. */
export const HORIZON_LABELS: Record<ActionItemHorizon, string> = {
  short: 'Short term',
  medium: 'Medium term',
  long: 'Long term',
};

function ownerError(owner: string): boolean {
  try {
    toUserRef(owner);
    return false;
  } catch {
    return true;
  }
}

/**
 * Adds a follow-up task: a title, and optionally owner, due date, horizon
 * and link.
 */
export const ActionItemForm = (props: {
  incidentId: string;
  onAdded: () => void;
}) => {
  const api = useApi(incidentsApiRef);
  const { run, busy } = useRunAction();
  const [form, setForm] = useState(empty);
  const badOwner = ownerError(form.owner);
  const set =
    (field: keyof typeof empty) => (e: React.ChangeEvent<HTMLInputElement>) =>
      setForm(f => ({ ...f, [field]: e.target.value }));

  const add = async () => {
    const ok = await run('add the action item', () =>
      api.addActionItem(props.incidentId, {
        title: form.title.trim(),
        owner: toUserRef(form.owner),
        dueDate: form.dueDate || undefined,
        horizon: (form.horizon || undefined) as ActionItemHorizon | undefined,
        link: form.link.trim() || undefined,
      }),
    );
    if (ok) {
      setForm(empty);
      props.onAdded();
    }
  };

  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="flex-start"
      style={{ gap: 8 }}
    >
      <TextField
        id="action-item-title"
        label="New action item"
        style={{ flex: 3, minWidth: 200 }}
        value={form.title}
        onChange={set('title')}
        inputProps={{ maxLength: 300 }}
      />
      <TextField
        id="action-item-owner"
        label="Owner"
        placeholder="user:default/alice"
        style={{ flex: 2, minWidth: 160 }}
        value={form.owner}
        onChange={set('owner')}
        error={badOwner}
        helperText={badOwner ? 'Not a user reference' : undefined}
      />
      <TextField
        id="action-item-due"
        label="Due"
        type="date"
        InputLabelProps={{ shrink: true }}
        value={form.dueDate}
        onChange={set('dueDate')}
      />
      <TextField
        id="action-item-horizon"
        select
        label="Horizon"
        style={{ minWidth: 140 }}
        value={form.horizon}
        onChange={set('horizon')}
      >
        <MenuItem value="">
          <em>None</em>
        </MenuItem>
        {ACTION_ITEM_HORIZONS.map(h => (
          <MenuItem key={h} value={h}>
            {HORIZON_LABELS[h]}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        id="action-item-link"
        label="Link"
        style={{ flex: 2, minWidth: 160 }}
        value={form.link}
        onChange={set('link')}
      />
      <Button
        color="primary"
        variant="contained"
        disabled={busy || !form.title.trim() || badOwner}
        onClick={add}
      >
        Add
      </Button>
    </Box>
  );
};
