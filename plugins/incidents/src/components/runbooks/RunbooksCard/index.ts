export { RunbooksCard } from './RunbooksCard';
export { RunbookList } from './RunbookList';
