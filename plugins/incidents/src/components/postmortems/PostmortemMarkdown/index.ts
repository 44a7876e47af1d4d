export { PostmortemMarkdown, headingId } from './PostmortemMarkdown';
