export { InsightsPage } from './InsightsPage';
export { EntityInsightsContent } from './EntityInsightsContent';
