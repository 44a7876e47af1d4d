import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { incidentsApiRef, Schedule } from '../../../api';
import { formatTimestamp } from '../../../utils/format';
import { DialogButtons } from '../../shared/DialogButtons';
import { PersonName } from '../../shared/PersonName';

/** A schedule's audit list: overrides, hand-offs, swaps, imports. */
export const ScheduleHistoryDialog = (props: {
  schedule: Schedule;
  onClose: () => void;
}) => {
  const { schedule, onClose } = props;
  const api = useApi(incidentsApiRef);
  const { value, loading, error } = useAsync(
    () => api.getScheduleTimeline(schedule.id),
    [api, schedule.id],
  );
  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="oncall-history-title"
    >
      <DialogTitle id="oncall-history-title">
        History of {schedule.name}
      </DialogTitle>
      <DialogContent>
        {loading && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value && value.items.length === 0 && (
          <Typography color="textSecondary">
            No overrides, hand-offs or swaps yet.
          </Typography>
        )}
        {value && value.items.length > 0 && (
          <ol
            aria-label={`History of ${schedule.name}`}
            style={{ paddingLeft: 16 }}
          >
            {value.items.map(entry => (
              <li key={entry.id}>
                <Typography variant="body2">
                  <strong>{formatTimestamp(entry.at)}</strong> ·{' '}
                  <PersonName actor={entry.actor} />: {entry.message}
                </Typography>
              </li>
            ))}
          </ol>
        )}
      </DialogContent>
      <DialogButtons
        confirmLabel="Close"
        onConfirm={onClose}
        onCancel={onClose}
      />
    </Dialog>
  );
};
