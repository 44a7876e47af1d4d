import { useState } from 'react';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import AddIcon from '@material-ui/icons/Add';
import { incidentCreatePermission } from '@vigil/plugin-incidents-common';
import { NewIncidentDialog } from '../NewIncidentDialog';

/**
 * Opens the new-incident form; hidden for users who may not open incidents.
 * @public
 */
export const NewIncidentButton = (props: {
  /** Entity refs to prefill as affected services. */
  initialServices?: string[];
  label?: string;
}) => {
  const { initialServices, label = 'New incident' } = props;
  const { allowed } = usePermission({ permission: incidentCreatePermission });
  const [open, setOpen] = useState(false);
  if (!allowed) {
    return null;
  }
  return (
    <>
      <Button
        variant="contained"
        color="primary"
        startIcon={<AddIcon />}
        onClick={() => setOpen(true)}
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
