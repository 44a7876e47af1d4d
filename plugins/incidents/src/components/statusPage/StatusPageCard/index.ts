export { StatusPageCard } from './StatusPageCard';
