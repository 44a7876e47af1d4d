export { ComponentStatusChip } from './ComponentStatusChip';
