export { AlertStatusChip } from './AlertStatusChip';
