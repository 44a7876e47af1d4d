export { ScheduleOverrideDialog } from './ScheduleOverrideDialog';
export { ScheduleHandoffDialog } from './ScheduleHandoffDialog';
export { ScheduleSwapDialog } from './ScheduleSwapDialog';
export { ScheduleHistoryDialog } from './ScheduleHistoryDialog';
