export { AckLinkPage } from './AckLinkPage';
