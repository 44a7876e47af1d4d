export { SwapRequests } from './SwapRequests';
