import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import { headingId } from '../PostmortemMarkdown';
import { outlineOf } from './outline';

/** The body's sections; a click scrolls the preview to one. */
export const PostmortemOutline = (props: { body: string }) => {
  const entries = outlineOf(props.body);
  return (
    <InfoCard title="Outline" noPadding>
      {entries.length === 0 ? (
        <Typography color="textSecondary" style={{ padding: 16 }}>
          No headings yet.
        </Typography>
      ) : (
        <List dense aria-label="Outline">
          {entries.map((entry, index) => (
            // A list item holding a button: a button as the item itself
            // would leave the list with no items for screen readers.
            <li key={`${index}-${entry.text}`}>
              <ListItem
                button
                component="button"
                style={{
                  paddingLeft: 8 + (entry.level - 1) * 16,
                  width: '100%',
                  textAlign: 'left',
                }}
                onClick={() =>
                  document
                    .getElementById(headingId(entry.text))
                    ?.scrollIntoView({ behavior: 'smooth', block: 'start' })
                }
              >
                <ListItemText
                  primary={entry.text}
                  primaryTypographyProps={{
                    variant: entry.level === 1 ? 'subtitle2' : 'body2',
                  }}
                />
              </ListItem>
            </li>
          ))}
        </List>
      )}
    </InfoCard>
  );
};
