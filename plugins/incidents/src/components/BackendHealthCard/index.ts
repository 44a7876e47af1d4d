export { BackendHealthCard } from './BackendHealthCard';
