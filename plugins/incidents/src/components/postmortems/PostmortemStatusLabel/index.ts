export {
  PostmortemStatusLabel,
  POSTMORTEM_STATUS_LABELS,
} from './PostmortemStatusLabel';
