export { StatusTabs } from './StatusTabs';
