export { LoadingSkeleton } from './LoadingSkeleton';
