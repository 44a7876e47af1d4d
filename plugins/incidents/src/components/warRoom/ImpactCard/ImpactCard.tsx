import { useState } from 'react';
import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import IconButton from '@material-ui/core/IconButton';
import EditIcon from '@material-ui/icons/Edit';
import { Incident } from '@vigil/plugin-incidents-common';
import { incidentsApiRef, UpdateIncidentRequest } from '../../../api';
import { useRunAction } from '../../../hooks';
import { formatTimestamp } from '../../../utils/format';
import { EditImpactDialog } from './EditImpactDialog';

const orDash = (value?: string | number) =>
  value === undefined || value === '' ? '—' : String(value);

/**
 * Estimated impact and root cause; editable with the update permission.
 */
export const ImpactCard = (props: {
  incident: Incident;
  canEdit: boolean;
  onChange: () => void;
}) => {
  const { incident, canEdit, onChange } = props;
  const api = useApi(incidentsApiRef);
  const { run, busy } = useRunAction();
  const [editing, setEditing] = useState(false);
  const { impact, rootCause } = incident;

  const save = async (patch: UpdateIncidentRequest) => {
    const ok = await run(`update ${incident.ref}`, () =>
      api.updateIncident(incident.id, patch),
    );
    if (ok) {
      setEditing(false);
      onChange();
    }
  };

  return (
    <InfoCard
      title="Impact and root cause"
      action={
        canEdit && (
          <IconButton
            aria-label="Edit impact and root cause"
            onClick={() => setEditing(true)}
          >
            <EditIcon />
          </IconButton>
        )
      }
    >
      <StructuredMetadataTable
        options={{ titleFormat: (key: string) => key }}
        metadata={{
          'Affected users': orDash(impact.affectedUsers),
          'Business impact': orDash(impact.businessImpact),
          Hypothesis: orDash(rootCause.hypothesis),
          'Confirmed cause': orDash(rootCause.confirmedCause),
          Trigger: orDash(rootCause.trigger),
          Identified: incident.identifiedAt
            ? formatTimestamp(incident.identifiedAt)
            : 'not yet',
        }}
      />
      <EditImpactDialog
        open={editing}
        incident={incident}
        busy={busy}
        onClose={() => setEditing(false)}
        onSave={save}
      />
    </InfoCard>
  );
};
