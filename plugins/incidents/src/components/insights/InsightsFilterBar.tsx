import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { Severity, SEVERITIES } from '@vigil/plugin-incidents-common';
import { useCatalogComponents } from '../../hooks';
import { InsightsFilters, RANGES } from './useInsightsQuery';

const SELECT = { minWidth: 160 };

/** A select of the catalog's entities of one kind, by title, or none. */
const CatalogSelect = (props: {
  id: string;
  label: string;
  any: string;
  kind: 'Component' | 'Group';
  value: string;
  disabled?: boolean;
  onChange: (ref: string) => void;
}) => {
  const { refs, titleOf } = useCatalogComponents(props.kind);
  return (
    <Box mr={2} mb={1}>
      <TextField
        id={props.id}
        select
        label={props.label}
        variant="outlined"
        size="small"
        style={{ minWidth: 190 }}
        SelectProps={{ displayEmpty: true }}
        InputLabelProps={{ shrink: true }}
        disabled={props.disabled}
        value={props.value}
        onChange={e => props.onChange(e.target.value)}
      >
        <MenuItem value="">{props.any}</MenuItem>
        {refs.map(ref => (
          <MenuItem key={ref} value={ref}>
            {titleOf(ref)}
          </MenuItem>
        ))}
      </TextField>
    </Box>
  );
};

/** The filters of the Insights page; each change lands in the query string. */
export const InsightsFilterBar = (props: {
  filters: InsightsFilters;
  onChange: (change: Partial<InsightsFilters>) => void;
  /** Hide the component filter (the entity page fixes it). */
  fixedEntity?: boolean;
}) => {
  const { filters, onChange, fixedEntity } = props;
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
        <CatalogSelect
          id="insights-component"
          label="Component"
          any="All components"
          kind="Component"
          value={filters.entityRef}
          onChange={entityRef => onChange({ entityRef })}
        />
      )}
      <CatalogSelect
        id="insights-owner"
        label="Owner"
        any="Any owner"
        kind="Group"
        disabled={filters.myTeam}
        value={filters.myTeam ? '' : filters.owner}
        onChange={owner => onChange({ owner })}
      />
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
