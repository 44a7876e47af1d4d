import { ResponseErrorPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';

/**
 * The one error a view shows when it could not load, with Retry. Views show
 * it instead of their content, never beside an empty state.
 * @internal
 */
export const LoadError = (props: {
  error: Error;
  /** What failed, e.g. "Could not list postmortems". */
  title?: string;
  onRetry: () => void;
}) => (
  <Box role="group" aria-label={props.title ?? 'Could not load'}>
    <ResponseErrorPanel error={props.error} title={props.title} />
    <Box mt={1}>
      <Button variant="contained" color="primary" onClick={props.onRetry}>
        Retry
      </Button>
    </Box>
  </Box>
);
