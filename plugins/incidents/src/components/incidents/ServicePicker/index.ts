export { ServicePicker } from './ServicePicker';
