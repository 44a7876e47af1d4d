/** One shortcut as the `?` overlay lists it. */
export interface ShortcutHelp {
  /** Keys pressed together (`Ctrl/⌘`, `Enter`) or, with `then`, in turn. */
  keys: string[];
  /** The keys are a sequence: press one, then the next. */
  then?: boolean;
  description: string;
}

/** The shortcuts by where they work, as the `?` overlay lists them. */
export const SHORTCUT_GROUPS: Array<{ title: string; items: ShortcutHelp[] }> =
  [
    {
      title: 'Anywhere',
      items: [
        { keys: ['?'], description: 'Show these shortcuts' },
        { keys: ['g', 'i'], then: true, description: 'Go to incidents' },
        { keys: ['g', 'o'], then: true, description: 'Go to on-call' },
        { keys: ['g', 'p'], then: true, description: 'Go to postmortems' },
      ],
    },
    {
      title: 'Incident list and home',
      items: [
        { keys: ['/'], description: 'Search the incident list' },
        { keys: ['n'], description: 'New incident' },
      ],
    },
    {
      title: 'War room',
      items: [
        { keys: ['a'], description: 'Acknowledge (when you may)' },
        {
          keys: ['Ctrl/⌘', 'Enter'],
          description: 'Post the note (in the note box)',
        },
      ],
    },
    {
      title: 'Postmortem editor',
      items: [{ keys: ['Ctrl/⌘', 'S'], description: 'Save' }],
    },
  ];
