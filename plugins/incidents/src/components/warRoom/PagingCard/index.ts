export { PagingCard } from './PagingCard';
