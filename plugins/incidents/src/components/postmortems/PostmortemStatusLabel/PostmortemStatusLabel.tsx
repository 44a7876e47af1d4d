import {
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import { PostmortemStatus } from '@vigil/plugin-incidents-common';

/** Display names of the postmortem states. */
export const POSTMORTEM_STATUS_LABELS: Record<PostmortemStatus, string> = {
  draft: 'Draft',
  review: 'In review',
  published: 'Published',
};

/** A postmortem's state with Backstage's status colours. */
export const PostmortemStatusLabel = (props: { status: PostmortemStatus }) => {
  const label = POSTMORTEM_STATUS_LABELS[props.status];
  switch (props.status) {
    case 'published':
      return <StatusOK>{label}</StatusOK>;
    case 'review':
      return <StatusRunning>{label}</StatusRunning>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
};
