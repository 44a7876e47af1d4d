import Chip from '@material-ui/core/Chip';
import { ComponentStatus } from '@vigil/plugin-incidents-common';

/** Labels and colours (white text at 4.5:1 or more) of public statuses. */
const STATUS: Record<string, { label: string; color: string }> = {
  operational: { label: 'Operational', color: '#1b7f3b' },
  degraded_performance: { label: 'Degraded performance', color: '#8a6100' },
  partial_outage: { label: 'Partial outage', color: '#b34700' },
  major_outage: { label: 'Major outage', color: '#b3261e' },
  under_maintenance: { label: 'Under maintenance', color: '#1f5fa8' },
  investigating: { label: 'Investigating', color: '#b3261e' },
  identified: { label: 'Identified', color: '#b34700' },
  monitoring: { label: 'Monitoring', color: '#8a6100' },
  resolved: { label: 'Resolved', color: '#1b7f3b' },
  scheduled: { label: 'Scheduled', color: '#1f5fa8' },
  in_progress: { label: 'In progress', color: '#1f5fa8' },
  verifying: { label: 'Verifying', color: '#1f5fa8' },
  completed: { label: 'Completed', color: '#1b7f3b' },
};

/** A public status (component, incident or maintenance) as a coloured chip. */
export const ComponentStatusChip = (props: {
  status: ComponentStatus | string;
}) => {
  const s = STATUS[props.status] ?? { label: props.status, color: '#50555c' };
  return (
    <Chip
      size="small"
      label={s.label}
      style={{ backgroundColor: s.color, color: '#fff', fontWeight: 600 }}
    />
  );
};
