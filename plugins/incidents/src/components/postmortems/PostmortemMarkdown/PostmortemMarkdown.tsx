import { Children, createElement, ReactNode } from 'react';
import ReactMarkdown from 'react-markdown';
import type { Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { makeStyles } from '@material-ui/core/styles';
import { RefText } from '../../shared/RefText';

const useStyles = makeStyles(theme => ({
  markdown: {
    overflowWrap: 'anywhere',
    '& table': { borderCollapse: 'collapse', margin: theme.spacing(1, 0) },
    '& th, & td': {
      border: `1px solid ${theme.palette.divider}`,
      padding: theme.spacing(0.5, 1),
      verticalAlign: 'top',
    },
    '& a': { color: theme.palette.primary.main },
    '& code, & pre': { fontFamily: 'monospace' },
    '& pre': {
      background: theme.palette.background.default,
      padding: theme.spacing(1),
      overflowX: 'auto',
    },
  },
}));

/** The id a heading gets, for the outline's links: `Root cause` → `root-cause`. */
export function headingId(text: string): string {
  return `pm-${text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;
}

function textOf(children: ReactNode): string {
  return Children.toArray(children)
    .map(child =>
      typeof child === 'string' || typeof child === 'number'
        ? String(child)
        : textOf(
            (child as { props?: { children?: ReactNode } }).props?.children,
          ),
    )
    .join('');
}

const heading =
  (level: number): Components['h1'] =>
  ({ children }) =>
    createElement(`h${level}`, { id: headingId(textOf(children)) }, children);

/** Text children with entity refs shown by name ("Carol Nguyen"). */
function withNames(children: ReactNode): ReactNode {
  return Children.map(children, child =>
    typeof child === 'string' ? <RefText text={child} /> : child,
  );
}

// react-markdown's own props (node, checked, ordered, isHeader...) stay off
// the DOM elements; the rest (class names, alignment) is kept.
const components: Components = {
  p: ({ node: _node, children, ...rest }) => (
    <p {...rest}>{withNames(children)}</p>
  ),
  li: ({
    node: _node,
    checked: _checked,
    index: _index,
    ordered: _ordered,
    children,
    ...rest
  }) => <li {...rest}>{withNames(children)}</li>,
  td: ({ node: _node, isHeader: _isHeader, children, ...rest }) => (
    <td {...rest}>{withNames(children)}</td>
  ),
  h1: heading(1),
  h2: heading(2),
  h3: heading(3),
  // react-markdown already turns javascript: targets into an inert
  // `javascript:void(0)`; such links become plain text.
  a: ({ href, children }) =>
    href && !/^\s*javascript:/i.test(href) ? (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
};

/**
 * A postmortem's Markdown (GitHub flavoured: tables, task lists,
 * strikethrough), rendered safely: raw HTML in the text is shown as text,
 * never as markup, and `javascript:` links are dropped.
 */
export const PostmortemMarkdown = (props: { content: string }) => {
  const classes = useStyles();
  return (
    <div className={classes.markdown} data-testid="postmortem-preview">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components}>
        {props.content}
      </ReactMarkdown>
    </div>
  );
};
