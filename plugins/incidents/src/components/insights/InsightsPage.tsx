import {
  Content,
  ContentHeader,
  Header,
  Page,
  SupportButton,
} from '@backstage/core-components';
import { InsightsContent } from './InsightsContent';

/** Response metrics, SLA compliance, change failure and on-call load at `/insights`. */
export const InsightsPage = () => (
  <Page themeId="tool">
    <Header
      title="Insights"
      subtitle="How fast incidents are answered, how often they happen, and who carries the pager"
    />
    <Content>
      <ContentHeader title="Response metrics">
        <SupportButton>
          Figures count incidents opened in the range; cancelled incidents,
          merged duplicates and incidents marked "exclude from metrics" are left
          out. Every card downloads as CSV with the same filters.
        </SupportButton>
      </ContentHeader>
      <InsightsContent />
    </Content>
  </Page>
);
