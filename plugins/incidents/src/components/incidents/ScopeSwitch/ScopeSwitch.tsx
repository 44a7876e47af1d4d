import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import Tooltip from '@material-ui/core/Tooltip';
import { Scope, SCOPES } from '../IncidentsTable/listParams';

const SCOPE_LABELS: Record<Scope, string> = {
  mine: 'Mine',
  team: 'My team',
  all: 'All',
};

/**
 * Whose incidents the list shows: those the user works (commander, comms
 * owner, technical lead, responder), those of services their groups own,
 * or everyone's.
 */
export const ScopeSwitch = (props: {
  value: Scope;
  onChange: (scope: Scope) => void;
  /** The user's groups; "My team" is unavailable without any. */
  teamGroups: string[];
}) => {
  const { value, onChange, teamGroups } = props;
  const hints: Record<Scope, string> = {
    mine: 'Incidents you command or respond to',
    team: teamGroups.length
      ? `Incidents of services owned by ${teamGroups.join(', ')}`
      : 'You are not a member of any group',
    all: 'Every incident',
  };
  return (
    <ButtonGroup size="small" color="primary" aria-label="Whose incidents">
      {SCOPES.map(scope => {
        const button = (
          <Button
            key={scope}
            variant={value === scope ? 'contained' : 'outlined'}
            aria-pressed={value === scope}
            disabled={scope === 'team' && !teamGroups.length}
            onClick={() => onChange(scope)}
          >
            {SCOPE_LABELS[scope]}
          </Button>
        );
        // A tooltip can't follow a disabled button's pointer events.
        return button.props.disabled ? (
          button
        ) : (
          <Tooltip key={scope} title={hints[scope]}>
            {button}
          </Tooltip>
        );
      })}
    </ButtonGroup>
  );
};
