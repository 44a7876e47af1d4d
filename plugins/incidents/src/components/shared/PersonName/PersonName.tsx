import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Tooltip from '@material-ui/core/Tooltip';
import { isLinkableActor } from '../../../utils/refs';

/** `Storm detector` for `system:storm-detector`. */
export function systemActorName(actor: string): string {
  const name = actor.replace(/^system:/, '').replace(/[-_]+/g, ' ');
  return name.charAt(0).toLocaleUpperCase('en-US') + name.slice(1);
}

/**
 * A person (or team) by their catalog display name, linked to their page,
 * with the entity ref on hover; a named system actor
 * (`system:storm-detector`) as readable text with its ref on hover.
 * @public
 */
export const PersonName = (props: { actor: string; hideIcon?: boolean }) => {
  const { actor, hideIcon = true } = props;
  if (isLinkableActor(actor)) {
    return (
      <EntityRefLink entityRef={actor} defaultKind="user" hideIcon={hideIcon} />
    );
  }
  if (actor.startsWith('system:')) {
    return (
      <Tooltip title={actor}>
        <span>{systemActorName(actor)}</span>
      </Tooltip>
    );
  }
  return <>{actor}</>;
};
