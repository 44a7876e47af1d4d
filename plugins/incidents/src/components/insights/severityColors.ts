import { Theme, useTheme } from '@material-ui/core/styles';
import { SEVERITIES, Severity } from '@vigil/plugin-incidents-common';
import { SEVERITY_COLORS } from '../../utils/chipColors';

/** The severity chips' colours, for charts. */
const SEVERITY_FILLS = Object.fromEntries(
  SEVERITIES.map(s => [s, SEVERITY_COLORS[s].background]),
) as Record<Severity, string>;

/** The interruption categories' colours: business calm, sleep alarming. */
export function hourColors(theme: Theme) {
  return {
    business: theme.palette.info.main,
    off: theme.palette.warning.main,
    sleep: theme.palette.error.dark,
  };
}

export function useChartColors() {
  const theme = useTheme();
  return {
    severity: SEVERITY_FILLS,
    hours: hourColors(theme),
    text: theme.palette.text.secondary,
    grid: theme.palette.divider,
  };
}
