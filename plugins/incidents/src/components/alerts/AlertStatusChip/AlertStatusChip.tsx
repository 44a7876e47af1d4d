import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import NotificationsActiveIcon from '@material-ui/icons/NotificationsActive';
import CheckIcon from '@material-ui/icons/Check';
import { AlertStatus } from '@vigil/plugin-incidents-common';
import { FIRING_COLOR } from '../../../utils/chipColors';

const useStyles = makeStyles(theme => ({
  chip: { margin: 0 },
  // Outlined, so it doesn't read as one more severity next to SeverityChip.
  // Not the theme's error.main: red text at 3.7:1 fails WCAG AA.
  firing: {
    borderColor: FIRING_COLOR,
    color: FIRING_COLOR,
    fontWeight: theme.typography.fontWeightBold as number,
  },
  firingIcon: { color: FIRING_COLOR },
}));

const LABELS: Record<AlertStatus, string> = {
  firing: 'Firing',
  resolved: 'Resolved',
};

/**
 * An alert's status: a red "Firing" or a grey "Resolved".
 */
export const AlertStatusChip = (props: { status: AlertStatus }) => {
  const classes = useStyles();
  const firing = props.status === 'firing';
  return (
    <Chip
      size="small"
      variant="outlined"
      label={LABELS[props.status] ?? props.status}
      icon={
        firing ? (
          <NotificationsActiveIcon className={classes.firingIcon} />
        ) : (
          <CheckIcon />
        )
      }
      className={`${classes.chip} ${firing ? classes.firing : ''}`}
    />
  );
};
