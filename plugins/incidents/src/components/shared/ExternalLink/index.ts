export { ExternalLink, isHttpUrl } from './ExternalLink';
export type { ExternalLinkProps } from './ExternalLink';
