import { Link, LinkButton } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import { RunbookSource, Runbooks } from '@vigil/plugin-incidents-common';
import { Fragment } from 'react';

/** How each source reads in a list. */
export const SOURCE_LABELS: Record<RunbookSource, string> = {
  'catalog-link': 'catalog link',
  annotation: 'annotation',
  alert: 'alert',
  config: 'config',
};

/** A component ref as a link, an alert subject as its name. */
const Subject = ({ subject }: { subject: string }) =>
  subject.startsWith('alert:') ? (
    <span>alert {subject.slice('alert:'.length)}</span>
  ) : (
    <EntityRefLink entityRef={subject} defaultKind="component" hideIcon />
  );

/**
 * Runbooks (title, what they are for, where they were found) and runbook
 * automations with a Run link opening the scaffolder, prefilled.
 */
export const RunbookList = (props: {
  value: Runbooks;
  /** Hide what each runbook is for (one component's card). */
  hideSubjects?: boolean;
}) => {
  const { runbooks, automations } = props.value;
  if (runbooks.length === 0 && automations.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No runbooks: add catalog links of type runbook, the vigil.dev/runbooks
        annotation, or incidents.runbooks in app-config.
      </Typography>
    );
  }
  return (
    <List dense disablePadding>
      {runbooks.map(runbook => (
        <ListItem key={runbook.url} disableGutters>
          <ListItemText
            style={{
              minWidth: 0,
              whiteSpace: 'normal',
              overflowWrap: 'anywhere',
            }}
            primary={<Link to={runbook.url}>{runbook.title}</Link>}
            secondary={
              <>
                {!props.hideSubjects &&
                  runbook.subjects.map(subject => (
                    <Fragment key={subject}>
                      <Subject subject={subject} />
                      {' · '}
                    </Fragment>
                  ))}
                {runbook.sources.map(s => SOURCE_LABELS[s]).join(', ')}
              </>
            }
            secondaryTypographyProps={{ component: 'div' }}
          />
        </ListItem>
      ))}
      {automations.map(automation => (
        <ListItem key={automation.templateRef} disableGutters>
          <ListItemText
            style={{
              minWidth: 0,
              whiteSpace: 'normal',
              overflowWrap: 'anywhere',
            }}
            primary={automation.title}
            secondary={automation.description ?? 'Runbook automation'}
          />
          <Box ml={1} flexShrink={0}>
            <LinkButton
              size="small"
              variant="outlined"
              color="primary"
              startIcon={<PlayArrowIcon />}
              to={automation.runPath}
              aria-label={`Run ${automation.title}`}
            >
              Run
            </LinkButton>
          </Box>
        </ListItem>
      ))}
    </List>
  );
};
