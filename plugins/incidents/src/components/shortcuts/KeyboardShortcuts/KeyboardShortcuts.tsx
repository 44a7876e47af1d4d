import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useOptionalRouteRef, useShortcut } from '../../../hooks';
import {
  oncallRouteRef,
  postmortemsRouteRef,
  rootRouteRef,
} from '../../../routes';
import { ShortcutsDialog } from './ShortcutsDialog';

/**
 * Vigil's app-wide keyboard shortcuts, mounted once at the app root: `?`
 * opens the overlay listing every shortcut, `g i` / `g o` / `g p` go to
 * incidents, on-call and postmortems. The page shortcuts (`/`, `n`, `a`,
 * Ctrl/Cmd+Enter, Ctrl/Cmd+S) live with the controls they drive.
 * @public
 */
export const KeyboardShortcuts = () => {
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const incidents = useOptionalRouteRef(rootRouteRef);
  const oncall = useOptionalRouteRef(oncallRouteRef);
  const postmortems = useOptionalRouteRef(postmortemsRouteRef);

  const show = useCallback(() => setOpen(true), []);
  // Stable callbacks: re-binding between `g` and `i` would drop the `g`.
  const toIncidents = useCallback(
    () => incidents && navigate(incidents()),
    [incidents, navigate],
  );
  const toOncall = useCallback(
    () => oncall && navigate(oncall()),
    [oncall, navigate],
  );
  const toPostmortems = useCallback(
    () => postmortems && navigate(postmortems()),
    [postmortems, navigate],
  );
  useShortcut('?', show);
  useShortcut('g>i', toIncidents, { enabled: !!incidents });
  useShortcut('g>o', toOncall, { enabled: !!oncall });
  useShortcut('g>p', toPostmortems, { enabled: !!postmortems });

  return <ShortcutsDialog open={open} onClose={() => setOpen(false)} />;
};
