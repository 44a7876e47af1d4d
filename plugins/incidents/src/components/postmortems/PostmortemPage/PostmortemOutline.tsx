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
            <ListItem
              key={`${index}-${entry.text}`}
              button
              style={{ paddingLeft: 8 + (entry.level - 1) * 16 }}
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
          ))}
        </List>
      )}
    </InfoCard>
  );
};
