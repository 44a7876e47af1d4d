import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { STATUS_TABS, StatusTab } from '../IncidentsTable/listParams';
import type { StatusCounts } from '../IncidentsTable/useStatusCounts';

const TAB_LABELS: Record<StatusTab, string> = {
  active: 'Active',
  open: 'Open',
  investigating: 'Investigating',
  mitigated: 'Mitigated',
  all: 'All',
};

/**
 * Tabs over the incident list by state, each with its number of incidents,
 * e.g. "Open (3)".
 */
export const StatusTabs = (props: {
  value: StatusTab;
  counts: StatusCounts;
  onChange: (tab: StatusTab) => void;
}) => {
  const { value, counts, onChange } = props;
  return (
    <Tabs
      value={value}
      onChange={(_event, tab: StatusTab) => onChange(tab)}
      indicatorColor="primary"
      textColor="primary"
      variant="scrollable"
      scrollButtons="auto"
      aria-label="Incidents by state"
    >
      {STATUS_TABS.map(tab => (
        <Tab
          key={tab}
          value={tab}
          label={
            counts[tab] === undefined
              ? TAB_LABELS[tab]
              : `${TAB_LABELS[tab]} (${counts[tab]})`
          }
        />
      ))}
    </Tabs>
  );
};
