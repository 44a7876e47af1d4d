export { ScopeSwitch } from './ScopeSwitch';
