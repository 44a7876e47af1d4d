import { useMemo } from 'react';
import { CatalogAutocomplete } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useCatalogUsers } from '../../../hooks';

/**
 * Picks one catalog user by display name ("Carol Nguyen", with `carol`
 * beside it); the value is the user's entity ref, undefined when cleared.
 * @public
 */
export const UserPicker = (props: {
  label: string;
  name: string;
  value?: string;
  onChange: (userRef?: string) => void;
  helperText?: string;
}) => {
  const { label, name, value, onChange, helperText } = props;
  const { refs, nameOf, loading } = useCatalogUsers();
  // A current value stays selectable even if the catalog doesn't list it.
  const options = useMemo(
    () => (value && !refs.includes(value) ? [...refs, value] : refs),
    [refs, value],
  );
  return (
    <CatalogAutocomplete<string>
      // Mount again once names are known, so a preset value reads "Carol".
      key={loading ? 'loading' : 'loaded'}
      name={name}
      label={label}
      options={options}
      loading={loading}
      value={value ?? null}
      getOptionLabel={nameOf}
      renderOption={ref => (
        <Box display="flex" justifyContent="space-between" width="100%">
          <span>{nameOf(ref)}</span>
          <Typography variant="caption" color="textSecondary">
            {parseEntityRef(ref).name}
          </Typography>
        </Box>
      )}
      onChange={(_event, ref) => onChange(ref ?? undefined)}
      TextFieldProps={{ placeholder: 'Search people', helperText }}
    />
  );
};
