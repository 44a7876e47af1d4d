import { Link } from '@backstage/core-components';
import { ReactNode } from 'react';

/** Whether `url` is an absolute http(s) URL, the only links made clickable. */
export function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** Props of {@link ExternalLink}. */
export interface ExternalLinkProps {
  url: string;
  children: ReactNode;
}

/**
 * A link someone entered (a change, evidence, a note's link, an action
 * item's link). The backend stores http(s) links only; anything else
 * stored before that (`javascript:`, `data:`) is shown as text, never as
 * an href.
 */
export function ExternalLink({ url, children }: ExternalLinkProps) {
  return isHttpUrl(url) ? <Link to={url}>{children}</Link> : <>{children}</>;
}
