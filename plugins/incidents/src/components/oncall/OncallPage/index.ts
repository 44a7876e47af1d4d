export { OncallPage } from './OncallPage';
