export { CommandBar } from './CommandBar';
