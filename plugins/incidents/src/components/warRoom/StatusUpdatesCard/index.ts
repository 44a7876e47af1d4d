export { StatusUpdatesCard } from './StatusUpdatesCard';
