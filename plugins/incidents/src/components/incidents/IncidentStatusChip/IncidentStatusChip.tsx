import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { IncidentStatus } from '@vigil/plugin-incidents-common';
import { STATUS_COLORS } from '../../../utils/chipColors';
import { STATUS_LABELS } from '../../../utils/lifecycle';

const useStyles = makeStyles(theme => ({
  chip: { fontWeight: theme.typography.fontWeightBold as number, margin: 0 },
}));

/**
 * An incident's lifecycle state as a coloured chip, for headers where the
 * traffic-light label is too quiet.
 * @public
 */
export const IncidentStatusChip = (props: { status: IncidentStatus }) => {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={STATUS_LABELS[props.status] ?? props.status}
      className={classes.chip}
      style={STATUS_COLORS[props.status]}
    />
  );
};
