export { DenseTable } from './DenseTable';
export type { DenseTableProps } from './DenseTable';
