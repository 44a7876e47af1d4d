export { CalendarSubscribe } from './CalendarSubscribe';
