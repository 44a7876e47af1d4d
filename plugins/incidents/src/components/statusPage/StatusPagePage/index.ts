export { StatusPagePage } from './StatusPagePage';
