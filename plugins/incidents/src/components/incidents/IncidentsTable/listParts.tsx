import { LoadError } from '../../shared/LoadError';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { ScopeSwitch } from '../ScopeSwitch';
import { StatusTabs } from '../StatusTabs';
import { IncidentListParams } from './listParams';
import { StatusCounts } from './useStatusCounts';

/** One error for the list (the counts fail with it) and a Retry. */
export const ListError = (props: { error: Error; onRetry: () => void }) => (
  <LoadError
    error={props.error}
    title="Could not list incidents"
    onRetry={props.onRetry}
  />
);

/** "26–50 of 73" with Previous and Next. */
export const Pager = (props: {
  first: number;
  shown: number;
  total?: number;
  disabled: boolean;
  onPrevious?: () => void;
  onNext?: () => void;
}) => {
  const { first, shown, total, disabled, onPrevious, onNext } = props;
  return (
    <>
      {/* Primary text: the secondary grey on the page background is 4.47:1. */}
      <Typography variant="body2">
        {shown ? `${first + 1}–${first + shown} of ${total}` : ''}
      </Typography>
      <Button disabled={!onPrevious || disabled} onClick={onPrevious}>
        Previous
      </Button>
      <Button disabled={!onNext || disabled} onClick={onNext}>
        Next
      </Button>
    </>
  );
};

/** The state tabs with their counts, and Mine / My team / All. */
export const ListToolbar = (props: {
  params: IncidentListParams;
  counts: StatusCounts;
  teamGroups: string[];
  onChange: (change: Partial<IncidentListParams>) => void;
}) => {
  const { params, counts, teamGroups, onChange } = props;
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      justifyContent="space-between"
      mb={1}
      style={{ gap: 8 }}
    >
      <StatusTabs
        value={params.tab}
        counts={counts}
        onChange={tab => onChange({ tab })}
      />
      <ScopeSwitch
        value={params.scope}
        onChange={scope => onChange({ scope })}
        teamGroups={teamGroups}
      />
    </Box>
  );
};
