import { Fragment } from 'react';
import Tooltip from '@material-ui/core/Tooltip';
import {
  ENTITY_REF_PATTERN,
  refsIn,
  useRefNames,
} from '../../../hooks/useReadableText';

const NamedRefs = (props: { text: string }) => {
  const { text } = props;
  const names = useRefNames(text);
  const parts: Array<string | { ref: string }> = [];
  let last = 0;
  for (const match of text.matchAll(ENTITY_REF_PATTERN)) {
    parts.push(text.slice(last, match.index), { ref: match[0] });
    last = match.index! + match[0].length;
  }
  parts.push(text.slice(last));
  return (
    <>
      {parts.map((part, i) =>
        typeof part === 'string' ? (
          <Fragment key={i}>{part}</Fragment>
        ) : (
          <Tooltip key={i} title={part.ref}>
            <span>{names[part.ref] ?? part.ref}</span>
          </Tooltip>
        ),
      )}
    </>
  );
};

/**
 * Free text (a timeline message, a storm's title) with each entity ref shown
 * by its display name and the ref on hover: "Paged Dave Lee (step 1/3)".
 * Text without refs is just text (no catalog look-up).
 * @public
 */
export const RefText = (props: { text: string }) =>
  refsIn(props.text).length ? (
    <NamedRefs text={props.text} />
  ) : (
    <>{props.text}</>
  );
