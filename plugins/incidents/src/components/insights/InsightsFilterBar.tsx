import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { Severity, SEVERITIES } from '@vigil/plugin-incidents-common';
import { useCatalogComponents } from '../../hooks';
import { InsightsFilters, RANGES } from './useInsightsQuery';

const SELECT = { minWidth: 160 };

/** The filters of the Insights page; each change lands in the query string. */
export const InsightsFilterBar = (props: {
  filters: InsightsFilters;
  onChange: (change: Partial<InsightsFilters>) => void;
  /** Hide the component filter (the entity page fixes it). */
  fixedEntity?: boolean;
}) => {
  const { filters, onChange, fixedEntity } = props;
  const components = useCatalogComponents('Component');
  const groups = useCatalogComponents('Group');
  return (
    <Box display="flex" flexWrap="wrap" alignItems="center" mb={2}>
      <Box mr={2} mb={1}>
        <TextField
          id="insights-range"
          select
          label="Range"
          variant="outlined"
          size="small"
          style={SELECT}
          value={filters.days}
          onChange={e => onChange({ days: Number(e.target.value) })}
        >
          {RANGES.map(d => (
            <MenuItem key={d} value={d}>
              Last {d} days
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <Box mr={2} mb={1}>
        <TextField
          id="insights-severity"
          select
          label="Severity"
          variant="outlined"
          size="small"
          style={SELECT}
          SelectProps={{
            multiple: true,
            renderValue: v =>
              (v as Severity[]).length
                ? (v as Severity[]).map(s => s.toUpperCase()).join(', ')
                : 'All',
            displayEmpty: true,
          }}
          InputLabelProps={{ shrink: true }}
          value={filters.severity}
          onChange={e =>
            onChange({ severity: e.target.value as unknown as Severity[] })
          }
        >
          {SEVERITIES.map(s => (
            <MenuItem key={s} value={s}>
              {s.toUpperCase()}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      {!fixedEntity && (
        <Box mr={2} mb={1}>
          <TextField
            id="insights-component"
            select
            label="Component"
            variant="outlined"
            size="small"
            style={{ minWidth: 200 }}
            SelectProps={{ displayEmpty: true }}
            InputLabelProps={{ shrink: true }}
            value={filters.entityRef}
            onChange={e => onChange({ entityRef: e.target.value })}
          >
            <MenuItem value="">All components</MenuItem>
            {components.refs.map(ref => (
              <MenuItem key={ref} value={ref}>
                {components.titleOf(ref)}
              </MenuItem>
            ))}
          </TextField>
        </Box>
      )}
      <Box mr={2} mb={1}>
        <TextField
          id="insights-owner"
          select
          label="Owner"
          variant="outlined"
          size="small"
          style={{ minWidth: 180 }}
          SelectProps={{ displayEmpty: true }}
          InputLabelProps={{ shrink: true }}
          disabled={filters.myTeam}
          value={filters.myTeam ? '' : filters.owner}
          onChange={e => onChange({ owner: e.target.value })}
        >
          <MenuItem value="">Any owner</MenuItem>
          {groups.refs.map(ref => (
            <MenuItem key={ref} value={ref}>
              {groups.titleOf(ref)}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <Box mr={2} mb={1}>
        <ToggleButtonGroup
          size="small"
          exclusive
          aria-label="Whose incidents"
          value={filters.myTeam ? 'mine' : 'all'}
          onChange={(_, value) =>
            value && onChange({ myTeam: value === 'mine' })
          }
        >
          <ToggleButton value="all">All teams</ToggleButton>
          <ToggleButton value="mine">My team</ToggleButton>
        </ToggleButtonGroup>
      </Box>
    </Box>
  );
};
