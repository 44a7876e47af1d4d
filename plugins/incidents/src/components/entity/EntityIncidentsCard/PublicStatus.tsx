import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { incidentsApiRef } from '../../../api';
import { ComponentStatusChip } from '../../statusPage/ComponentStatusChip';

/**
 * The component's status on the public status page, when it is listed
 * there; nothing otherwise.
 */
export const PublicStatus = (props: {
  entityRef: string;
  reload?: unknown;
}) => {
  const api = useApi(incidentsApiRef);
  const { value } = useAsync(() => api.getStatusPage(), [api, props.reload]);
  const component = value?.components.find(
    c => c.entityRef === props.entityRef.toLocaleLowerCase('en-US'),
  );
  if (!value?.enabled || !component) return null;
  return (
    <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={1}>
      <Typography variant="body2">
        Public status page ({component.name}):
      </Typography>
      <ComponentStatusChip status={component.status} />
      <Typography variant="body2" color="textSecondary">
        {component.uptimePercent}% uptime, 90 days
      </Typography>
    </Box>
  );
};
