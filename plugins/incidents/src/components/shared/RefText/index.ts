export { RefText } from './RefText';
