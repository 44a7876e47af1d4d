import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles } from '@material-ui/core/styles';
import { Severity, SEVERITY_TABLE } from '@vigil/plugin-incidents-common';

const useStyles = makeStyles(theme => ({
  chip: { fontWeight: theme.typography.fontWeightBold as number, margin: 0 },
  sev1: { backgroundColor: theme.palette.error.dark, color: '#fff' },
  sev2: { backgroundColor: theme.palette.error.main, color: '#fff' },
  sev3: { backgroundColor: theme.palette.warning.main, color: '#000' },
  sev4: { backgroundColor: theme.palette.info.main, color: '#fff' },
  sev5: {},
}));

/**
 * A colour-coded severity; the tooltip explains what it means.
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
        className={`${classes.chip} ${classes[severity] ?? ''}`}
      />
    </Tooltip>
  );
};
