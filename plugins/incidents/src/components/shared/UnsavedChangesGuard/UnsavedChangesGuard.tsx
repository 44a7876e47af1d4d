import { useContext, useEffect, useState } from 'react';
import { UNSAFE_NavigationContext } from 'react-router-dom';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';

/**
 * While `when` holds, warns before the user leaves: the browser's own
 * prompt on reload, close or an outside link (beforeunload), and a dialog
 * for links inside the portal.
 *
 * react-router's useBlocker needs a data router and Backstage mounts a
 * plain BrowserRouter, so in-app moves are held where they start: the
 * router's navigator (what every Link and navigate() call) asks first. The
 * browser's back button can't be held this way; pair this with a draft.
 */
export const UnsavedChangesGuard = (props: {
  when: boolean;
  /** What staying protects, e.g. "your postmortem edits". */
  description: string;
}) => {
  const { when, description } = props;
  const { navigator } = useContext(UNSAFE_NavigationContext);
  const [pending, setPending] = useState<() => void>();

  useEffect(() => {
    if (!when) {
      return undefined;
    }
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only with returnValue set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);

    const { push, replace } = navigator;
    const hold =
      (go: typeof push): typeof push =>
      (...args) =>
        setPending(() => () => go(...args));
    navigator.push = hold(push);
    navigator.replace = hold(replace);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      navigator.push = push;
      navigator.replace = replace;
    };
  }, [when, navigator]);

  const leave = () => {
    // The navigator's own push or replace, not the held one.
    const go = pending;
    setPending(undefined);
    go?.();
  };

  return (
    <Dialog
      open={pending !== undefined}
      onClose={() => setPending(undefined)}
      aria-labelledby="unsaved-changes-title"
    >
      <DialogTitle id="unsaved-changes-title">
        Leave without saving?
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          You have not saved {description}. A draft stays in this browser, but
          nobody else sees it until you save.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => setPending(undefined)} color="primary">
          Stay
        </Button>
        <Button onClick={leave}>Leave</Button>
      </DialogActions>
    </Dialog>
  );
};
