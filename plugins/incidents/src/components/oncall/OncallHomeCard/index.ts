export { OncallHomeCardContent } from './OncallHomeCard';
