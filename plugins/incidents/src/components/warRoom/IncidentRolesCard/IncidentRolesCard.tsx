import { useState } from 'react';
import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, EntityRefLinks } from '@backstage/plugin-catalog-react';
import IconButton from '@material-ui/core/IconButton';
import EditIcon from '@material-ui/icons/Edit';
import {
  ACKNOWLEDGEMENT_SOURCE_LABELS,
  Incident,
} from '@vigil/plugin-incidents-common';
import { incidentsApiRef, UpdateIncidentRolesRequest } from '../../../api';
import { useRunAction } from '../../../hooks';
import { EditRolesDialog } from './EditRolesDialog';

const UserLink = (props: { userRef?: string }) =>
  props.userRef ? (
    <EntityRefLink entityRef={props.userRef} defaultKind="user" />
  ) : (
    <>—</>
  );

/**
 * Who leads, communicates and responds; editable with the update permission.
 */
export const IncidentRolesCard = (props: {
  incident: Incident;
  canEdit: boolean;
  onChange: () => void;
}) => {
  const { incident, canEdit, onChange } = props;
  const api = useApi(incidentsApiRef);
  const { run, busy } = useRunAction();
  const [editing, setEditing] = useState(false);
  const roles = {
    ...incident.roles,
    commander: incident.roles.commander ?? incident.commander,
  };
  // Whoever acknowledged is a responder too, from that moment.
  const responders = [
    ...new Set([
      ...(incident.responder ? [incident.responder] : []),
      ...roles.responders,
    ]),
  ];

  const save = async (patch: UpdateIncidentRolesRequest) => {
    const ok = await run(`update the roles of ${incident.ref}`, () =>
      api.updateIncident(incident.id, { roles: patch }),
    );
    if (ok) {
      setEditing(false);
      onChange();
    }
  };

  return (
    <InfoCard
      title="Roles"
      action={
        canEdit && (
          <IconButton aria-label="Edit roles" onClick={() => setEditing(true)}>
            <EditIcon />
          </IconButton>
        )
      }
    >
      <StructuredMetadataTable
        options={{ titleFormat: (key: string) => key }}
        metadata={{
          Commander: <UserLink userRef={roles.commander} />,
          'Comms owner': <UserLink userRef={roles.commsOwner} />,
          'Technical lead': <UserLink userRef={roles.technicalLead} />,
          Responders: responders.length ? (
            <EntityRefLinks entityRefs={responders} defaultKind="user" />
          ) : (
            <>—</>
          ),
          ...(incident.acknowledgedVia
            ? {
                'Acknowledged via':
                  ACKNOWLEDGEMENT_SOURCE_LABELS[incident.acknowledgedVia],
              }
            : {}),
        }}
      />
      <EditRolesDialog
        open={editing}
        roles={roles}
        busy={busy}
        onClose={() => setEditing(false)}
        onSave={save}
      />
    </InfoCard>
  );
};
