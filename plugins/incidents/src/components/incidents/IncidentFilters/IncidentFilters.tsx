import { useCallback, useEffect, useRef, useState } from 'react';
import { CatalogAutocomplete } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import InputAdornment from '@material-ui/core/InputAdornment';
import MenuItem from '@material-ui/core/MenuItem';
import { makeStyles } from '@material-ui/core/styles';
import TextField from '@material-ui/core/TextField';
import SearchIcon from '@material-ui/icons/Search';
import {
  Severity,
  SEVERITIES,
  SEVERITY_TABLE,
} from '@vigil/plugin-incidents-common';
import { useCatalogComponents, useShortcut } from '../../../hooks';

/**
 * The incident list's filters beside its state tabs and scope switch.
 */
export interface IncidentFilterValue {
  severity: Severity[];
  /** One affected catalog entity. */
  entityRef?: string;
  q: string;
}

const SEARCH_DEBOUNCE_MS = 400;

// Labels in the primary text colour: the secondary grey on the page's grey
// background is 4.47:1, under WCAG AA's 4.5.
const useStyles = makeStyles(theme => ({
  label: { color: theme.palette.text.primary },
}));

/** Picks one catalog component; cleared, it reports undefined. */
export const ServiceFilter = (props: {
  value?: string;
  onChange: (entityRef?: string) => void;
}) => {
  const { refs, titleOf, loading } = useCatalogComponents();
  return (
    <CatalogAutocomplete<string>
      // The input shows the label it had when the value was set: mount it
      // again once titles are known, so a preset value reads "Payments API".
      key={loading ? 'loading' : 'loaded'}
      name="service-filter"
      label="Service"
      options={refs}
      loading={loading}
      value={props.value ?? null}
      getOptionLabel={titleOf}
      onChange={(_event, ref) => props.onChange(ref ?? undefined)}
      TextFieldProps={{ placeholder: 'Any service' }}
    />
  );
};

/**
 * Search, severity and service filters for the incident list. Reports only
 * what changed.
 */
export const IncidentFilters = (props: {
  value: IncidentFilterValue;
  onChange: (change: Partial<IncidentFilterValue>) => void;
  /** Hides the service filter, e.g. on an entity page. */
  hideService?: boolean;
}) => {
  const { value, onChange, hideService } = props;
  const classes = useStyles();
  const [search, setSearch] = useState(value.q);
  const searchRef = useRef<HTMLInputElement>(null);
  const focusSearch = useCallback(() => searchRef.current?.focus(), []);
  useShortcut('/', focusSearch);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  // The last search reported; a different value.q came from elsewhere (the
  // back button, a link) and replaces what the box shows.
  const reported = useRef(value.q);
  useEffect(() => {
    if (value.q !== reported.current) {
      reported.current = value.q;
      setSearch(value.q);
    }
  }, [value.q]);

  // Searching on every keystroke would hammer the backend.
  useEffect(() => {
    if (search === value.q) {
      return undefined;
    }
    const timer = setTimeout(() => {
      reported.current = search;
      onChangeRef.current({ q: search });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [search, value.q]);

  return (
    <Box display="flex" flexDirection="column">
      <TextField
        label="Search"
        placeholder="Reference, title or description"
        value={search}
        onChange={e => setSearch(e.target.value)}
        inputRef={searchRef}
        InputProps={{
          startAdornment: (
            <InputAdornment position="start">
              <SearchIcon />
            </InputAdornment>
          ),
        }}
        InputLabelProps={{ className: classes.label }}
        inputProps={{
          'aria-label': 'Search incidents',
          'aria-keyshortcuts': '/',
        }}
      />
      {/* A labelled select (Backstage's Select leaves its button unnamed). */}
      <TextField
        select
        id="severity-filter"
        label="Severity"
        margin="normal"
        data-testid="severity-filter"
        SelectProps={{
          multiple: true,
          displayEmpty: true,
          renderValue: selected =>
            (selected as Severity[]).length
              ? (selected as Severity[])
                  .map(s => s.toLocaleUpperCase('en-US'))
                  .join(', ')
              : 'Any severity',
        }}
        InputLabelProps={{ className: classes.label, shrink: true }}
        value={value.severity}
        onChange={e =>
          onChange({ severity: e.target.value as unknown as Severity[] })
        }
      >
        {SEVERITIES.map(s => (
          <MenuItem key={s} value={s}>
            {SEVERITY_TABLE[s].label}
          </MenuItem>
        ))}
      </TextField>
      {!hideService && (
        <ServiceFilter
          value={value.entityRef}
          onChange={entityRef => onChange({ entityRef })}
        />
      )}
    </Box>
  );
};
