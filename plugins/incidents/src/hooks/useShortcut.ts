import { useHotkeys } from 'react-hotkeys-hook';

/** Whether a dialog is open (closed Material UI dialogs are unmounted). */
function dialogOpen(): boolean {
  return (
    document.querySelector('[role="dialog"], [aria-modal="true"]') !== null
  );
}

function ignored(e: KeyboardEvent): boolean {
  return e.ctrlKey || e.metaKey || e.altKey || dialogOpen();
}

/**
 * Binds one Vigil keyboard shortcut: a single key (`a`, `/`, `?`) or a
 * sequence (`g>i`), matched by the character it types so it works on any
 * keyboard layout. It never fires while the user types in a field or
 * contenteditable, with Ctrl/Cmd/Alt held, or while a dialog is open.
 * Ctrl/Cmd combos that must work while typing use `useHotkeys` directly.
 * @internal
 */
export function useShortcut(
  keys: string,
  callback: () => void,
  options: { enabled?: boolean } = {},
) {
  useHotkeys(
    keys,
    // Checked here too: the library skips ignoreEventWhen for sequences.
    e => {
      if (!ignored(e)) {
        callback();
      }
    },
    {
      enabled: options.enabled ?? true,
      useKey: true,
      // `?` needs Shift on most layouts, `/` on some: match the character.
      ignoreModifiers: true,
      ignoreEventWhen: ignored,
      preventDefault: true,
    },
    [callback],
  );
}
