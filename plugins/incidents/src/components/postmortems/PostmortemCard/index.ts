export { PostmortemCard, PostmortemLinks } from './PostmortemCard';
