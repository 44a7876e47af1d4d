import { useCallback, useState } from 'react';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import AddIcon from '@material-ui/icons/Add';
import { incidentCreatePermission } from '@vigil/plugin-incidents-common';
import { useShortcut } from '../../../hooks';
import { NewIncidentDialog } from '../NewIncidentDialog';

/**
 * Opens the new-incident form; hidden for users who may not open incidents.
 * @public
 */
export const NewIncidentButton = (props: {
  /** Entity refs to prefill as affected services. */
  initialServices?: string[];
  label?: string;
  /** `n` opens the form too (one button per page should take it). */
  shortcut?: boolean;
}) => {
  const { initialServices, label = 'New incident', shortcut } = props;
  const { allowed } = usePermission({ permission: incidentCreatePermission });
  const [open, setOpen] = useState(false);
  const openForm = useCallback(() => setOpen(true), []);
  useShortcut('n', openForm, { enabled: !!shortcut && allowed });
  if (!allowed) {
    return null;
  }
  return (
    <>
      <Button
        variant="contained"
        color="primary"
        startIcon={<AddIcon />}
        onClick={openForm}
        aria-keyshortcuts={shortcut ? 'n' : undefined}
      >
        {label}
      </Button>
      <NewIncidentDialog
        open={open}
        onClose={() => setOpen(false)}
        initialServices={initialServices}
      />
    </>
  );
};
