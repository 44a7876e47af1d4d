export { UserPicker } from './UserPicker';
