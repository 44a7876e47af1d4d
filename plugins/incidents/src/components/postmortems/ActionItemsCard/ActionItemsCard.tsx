import { TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import Paper from '@material-ui/core/Paper';
import { ActionItem, IncidentDetail } from '@vigil/plugin-incidents-common';
import { incidentsApiRef } from '../../../api';
import { useRunAction } from '../../../hooks';
import { DenseTable } from '../../shared/DenseTable';
import { ActionItemForm, HORIZON_LABELS } from './ActionItemForm';
import { ExternalLink } from '../../shared/ExternalLink';

/**
 * Follow-up tasks with a done checkbox, and a form to add one.
 */
export const ActionItemsCard = (props: {
  incident: IncidentDetail;
  canEdit: boolean;
  onChange: () => void;
}) => {
  const { incident, canEdit, onChange } = props;
  const api = useApi(incidentsApiRef);
  const { run, busy } = useRunAction();

  const toggle = async (item: ActionItem) => {
    await run(`update "${item.title}"`, () =>
      api.updateActionItem(incident.id, item.id, { done: !item.done }),
    );
    onChange();
  };

  const columns: TableColumn<ActionItem>[] = [
    {
      title: 'Done',
      width: '1%',
      render: item => (
        <Checkbox
          checked={item.done}
          disabled={!canEdit || busy}
          onChange={() => toggle(item)}
          inputProps={{ 'aria-label': `Done: ${item.title}` }}
        />
      ),
    },
    {
      title: 'Title',
      render: item =>
        item.link ? (
          <ExternalLink url={item.link}>{item.title}</ExternalLink>
        ) : (
          item.title
        ),
    },
    {
      title: 'Owner',
      render: item =>
        item.owner ? (
          <EntityRefLink entityRef={item.owner} defaultKind="user" hideIcon />
        ) : (
          '—'
        ),
    },
    { title: 'Due', render: item => item.dueDate ?? '—' },
    {
      title: 'Horizon',
      render: item => (item.horizon ? HORIZON_LABELS[item.horizon] : '—'),
    },
  ];

  return (
    <Box>
      <DenseTable<ActionItem>
        title="Action items"
        columns={columns}
        data={incident.actionItems}
        emptyText="No action items yet."
      />
      {canEdit && (
        <Paper>
          <Box p={2}>
            <ActionItemForm incidentId={incident.id} onAdded={onChange} />
          </Box>
        </Paper>
      )}
    </Box>
  );
};
