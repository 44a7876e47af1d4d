/** A heading of the Markdown body, for the outline. */
export interface OutlineEntry {
  level: number;
  text: string;
}

/** The `#`, `##` and `###` headings of a Markdown body, outside code blocks. */
export function outlineOf(markdown: string): OutlineEntry[] {
  const entries: OutlineEntry[] = [];
  let fenced = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    const match = !fenced && /^ {0,3}(#{1,3})\s+(.+?)\s*#*\s*$/.exec(line);
    if (match) {
      entries.push({ level: match[1].length, text: match[2] });
    }
  }
  return entries;
}
