import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles } from '@material-ui/core/styles';
import { Severity, SEVERITY_TABLE } from '@vigil/plugin-incidents-common';
import { SEVERITY_COLORS } from '../../../utils/chipColors';

const useStyles = makeStyles(theme => ({
  chip: { fontWeight: theme.typography.fontWeightBold as number, margin: 0 },
}));

/**
 * A colour-coded severity (readable colours, see `SEVERITY_COLORS`); the
 * tooltip explains what it means.
 * @public
 */
export const SeverityChip = (props: { severity: Severity }) => {
  const { severity } = props;
  const classes = useStyles();
  const definition = SEVERITY_TABLE[severity];
  return (
    <Tooltip
      title={definition ? `${definition.label}: ${definition.description}` : ''}
    >
      <Chip
        size="small"
        label={severity.toLocaleUpperCase('en-US')}
        className={classes.chip}
        style={SEVERITY_COLORS[severity]}
      />
    </Tooltip>
  );
};
