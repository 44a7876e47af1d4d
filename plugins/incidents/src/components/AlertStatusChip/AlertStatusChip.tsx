import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { AlertStatus } from '@vigil/plugin-incidents-common';

const useStyles = makeStyles(theme => ({
  firing: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
    fontWeight: theme.typography.fontWeightBold as number,
    margin: 0,
  },
  resolved: { margin: 0 },
}));

const LABELS: Record<AlertStatus, string> = {
  firing: 'Firing',
  resolved: 'Resolved',
};

/**
 * An alert's status: a red "Firing" or an outlined "Resolved".
 */
export const AlertStatusChip = (props: { status: AlertStatus }) => {
  const classes = useStyles();
  const { status } = props;
  return (
    <Chip
      size="small"
      label={LABELS[status] ?? status}
      variant={status === 'firing' ? 'default' : 'outlined'}
      className={status === 'firing' ? classes.firing : classes.resolved}
    />
  );
};
