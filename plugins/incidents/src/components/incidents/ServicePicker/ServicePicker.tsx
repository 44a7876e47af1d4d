import { useMemo } from 'react';
import { CatalogAutocomplete } from '@backstage/plugin-catalog-react';
import { useCatalogComponents } from '../../../hooks';

/**
 * Picks catalog components by title; the values are full entity refs.
 */
export const ServicePicker = (props: {
  value: string[];
  onChange: (entityRefs: string[]) => void;
  label?: string;
}) => {
  const { value, onChange, label = 'Affected services' } = props;
  const { refs, titleOf, loading } = useCatalogComponents();
  // A prefilled entity stays selectable even if it isn't a listed component.
  const options = useMemo(
    () => Array.from(new Set([...refs, ...value])),
    [refs, value],
  );
  return (
    <CatalogAutocomplete<string, true>
      name="affected-services"
      label={label}
      multiple
      filterSelectedOptions
      options={options}
      loading={loading}
      value={value}
      getOptionLabel={titleOf}
      onChange={(_event, refsChosen) => onChange(refsChosen)}
      TextFieldProps={{ placeholder: 'Search the catalog' }}
    />
  );
};
