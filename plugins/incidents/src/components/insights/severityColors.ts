import { Theme, useTheme } from '@material-ui/core/styles';
import { Severity } from '@vigil/plugin-incidents-common';

/** The severity colours of the rest of Vigil (the severity chips), for charts. */
export function severityColors(theme: Theme): Record<Severity, string> {
  return {
    sev1: theme.palette.error.dark,
    sev2: theme.palette.error.main,
    sev3: theme.palette.warning.main,
    sev4: theme.palette.info.main,
    sev5: theme.palette.grey[500],
  };
}

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
    severity: severityColors(theme),
    hours: hourColors(theme),
    text: theme.palette.text.secondary,
    grid: theme.palette.divider,
  };
}
