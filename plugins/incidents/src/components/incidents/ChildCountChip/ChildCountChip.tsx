import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import FlashOnIcon from '@material-ui/icons/FlashOn';
import { Incident } from '@vigil/plugin-incidents-common';

/** The actor that opens storm parents. */
export const STORM_DETECTOR = 'system:storm-detector';

/** A parent the storm detector opened for a burst of alerts. */
export function isStormParent(
  incident: Pick<Incident, 'openedBy' | 'childCount'>,
): boolean {
  return incident.openedBy === STORM_DETECTOR;
}

/**
 * How many incidents were folded into this one: `storm · 12` on a storm
 * parent, `2 children` on an incident duplicates were merged into; nothing
 * on an incident without children.
 */
export const ChildCountChip = (props: {
  incident: Pick<Incident, 'openedBy' | 'childCount'>;
}) => {
  const { incident } = props;
  const count = incident.childCount;
  if (!count || count <= 0) {
    return null;
  }
  const storm = isStormParent(incident);
  const label = storm
    ? `storm · ${count}`
    : `${count} ${count === 1 ? 'child' : 'children'}`;
  const hint = storm
    ? `An alert storm: ${count} ${
        count === 1 ? 'incident' : 'incidents'
      } folded into this one`
    : `${count} ${
        count === 1 ? 'incident was' : 'incidents were'
      } merged into this one`;
  return (
    <Tooltip title={hint}>
      <Chip
        size="small"
        variant="outlined"
        color={storm ? 'secondary' : 'default'}
        icon={storm ? <FlashOnIcon /> : undefined}
        label={label}
        style={{ margin: 0 }}
      />
    </Tooltip>
  );
};
