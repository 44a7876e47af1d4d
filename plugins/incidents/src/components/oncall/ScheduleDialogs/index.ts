export { ScheduleOverrideDialog } from './ScheduleOverrideDialog';
export { ScheduleHandoffDialog } from './ScheduleHandoffDialog';
