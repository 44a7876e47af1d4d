export { KeyboardShortcuts } from './KeyboardShortcuts';
