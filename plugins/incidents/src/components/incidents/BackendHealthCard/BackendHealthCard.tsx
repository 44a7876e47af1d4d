import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import useAsync from 'react-use/esm/useAsync';
import { incidentsApiRef } from '../../../api';

const useStyles = makeStyles(theme => ({
  footer: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginTop: theme.spacing(3),
    color: theme.palette.text.secondary,
  },
}));

/**
 * Shows whether the incidents backend answers, and on which database: as a
 * card, or as a one-line footer under the incident list.
 */
export const BackendHealthCard = (props: { variant?: 'card' | 'compact' }) => {
  const { variant = 'card' } = props;
  const classes = useStyles();
  const api = useApi(incidentsApiRef);
  const { value, loading, error } = useAsync(() => api.getHealth(), [api]);

  if (variant === 'compact') {
    if (loading) {
      return null;
    }
    return (
      <Typography
        variant="caption"
        component="div"
        className={classes.footer}
        data-testid="backend-health"
      >
        {error ? (
          <StatusError>Backend unreachable: {error.message}</StatusError>
        ) : (
          <>
            <StatusOK>Backend reachable</StatusOK>
            <span>
              Database: <span>{value!.database}</span>
            </span>
            <span>
              Schema: <span>{value!.migration ?? 'none'}</span>
            </span>
          </>
        )}
      </Typography>
    );
  }

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} title="Backend unreachable" />;
  }
  return (
    <InfoCard title="Vigil backend">
      <StatusOK>Backend reachable</StatusOK>
      <StructuredMetadataTable
        metadata={{
          Status: value!.status,
          Database: value!.database,
          'Schema version': value!.migration ?? 'none',
          'Server time': value!.time,
        }}
      />
    </InfoCard>
  );
};
