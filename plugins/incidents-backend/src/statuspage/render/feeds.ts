import { Feed } from 'feed';
import { PageSnapshot } from '../publicView';

/**
 * The page's history as a feed (the `feed` library writes Atom 1.0 and RSS
 * 2.0): one entry per public incident and maintenance window, newest
 * first, with its public updates.
 */
export function buildFeed(snapshot: PageSnapshot, baseUrl: string): Feed {
  const { page } = snapshot;
  const feed = new Feed({
    id: page.url,
    title: `${page.name} status history`,
    link: page.url,
    updated: new Date(page.updated_at),
    copyright: page.name,
    feedLinks: {
      atom: `${baseUrl}/history.atom`,
      rss: `${baseUrl}/history.rss`,
    },
  });
  const entries = [...snapshot.incidents, ...snapshot.maintenances].sort(
    (a, b) => b.updated_at.localeCompare(a.updated_at),
  );
  for (const entry of entries.slice(0, 50)) {
    feed.addItem({
      id: entry.shortlink,
      title: entry.name,
      link: entry.shortlink,
      date: new Date(entry.updated_at),
      published: new Date(entry.started_at),
      // Plain text: the feed library escapes it.
      description: entry.incident_updates
        .map(u => `${u.status}: ${u.body} (${u.display_at})`)
        .join('\n'),
    });
  }
  return feed;
}
