import { Fragment } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { SHORTCUT_GROUPS } from './shortcuts';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(3),
    rowGap: theme.spacing(1),
    margin: theme.spacing(0, 0, 3),
    alignItems: 'center',
  },
  keys: { margin: 0, whiteSpace: 'nowrap' },
  description: { margin: 0 },
  kbd: {
    display: 'inline-block',
    minWidth: '1.8em',
    padding: theme.spacing(0.25, 0.75),
    border: `1px solid ${theme.palette.text.secondary}`,
    borderRadius: 4,
    fontFamily: 'monospace',
    textAlign: 'center',
    color: theme.palette.text.primary,
  },
  between: { margin: theme.spacing(0, 0.5), color: theme.palette.text.primary },
}));

/** The `?` overlay: every Vigil keyboard shortcut, by where it works. */
export const ShortcutsDialog = (props: {
  open: boolean;
  onClose: () => void;
}) => {
  const classes = useStyles();
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      aria-labelledby="vigil-shortcuts-title"
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id="vigil-shortcuts-title">Keyboard shortcuts</DialogTitle>
      <DialogContent>
        {SHORTCUT_GROUPS.map(group => (
          <section key={group.title} aria-label={group.title}>
            <Typography variant="h6" component="h3">
              {group.title}
            </Typography>
            <dl className={classes.list}>
              {group.items.map(item => (
                <Fragment key={item.description}>
                  <dt className={classes.keys}>
                    {item.keys.map((key, i) => (
                      <Fragment key={key}>
                        {i > 0 && (
                          <span className={classes.between}>
                            {item.then ? 'then' : '+'}
                          </span>
                        )}
                        <kbd className={classes.kbd}>{key}</kbd>
                      </Fragment>
                    ))}
                  </dt>
                  <dd className={classes.description}>{item.description}</dd>
                </Fragment>
              ))}
            </dl>
          </section>
        ))}
        <Typography variant="body2">
          Single keys do nothing while you type in a field.
        </Typography>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} color="primary">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
};
