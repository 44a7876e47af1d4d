export { CalendarDownloadButton } from './CalendarDownloadButton';
