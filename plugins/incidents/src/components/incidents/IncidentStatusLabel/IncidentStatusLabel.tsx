import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { IncidentStatus } from '@vigil/plugin-incidents-common';
import { STATUS_LABELS } from '../../../utils/lifecycle';

const STATUS_ICONS: Record<
  IncidentStatus,
  (props: { children?: React.ReactNode }) => JSX.Element
> = {
  open: StatusError,
  investigating: StatusWarning,
  mitigated: StatusPending,
  resolved: StatusOK,
  postmortem: StatusOK,
  cancelled: StatusAborted,
};

/**
 * An incident's lifecycle state with a traffic-light icon.
 * @public
 */
export const IncidentStatusLabel = (props: { status: IncidentStatus }) => {
  const Icon = STATUS_ICONS[props.status] ?? StatusPending;
  return <Icon>{STATUS_LABELS[props.status] ?? props.status}</Icon>;
};
