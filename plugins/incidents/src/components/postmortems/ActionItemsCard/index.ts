export { ActionItemsCard } from './ActionItemsCard';
