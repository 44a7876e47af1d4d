/**
 * Hands a fetched file to the browser to save: a Blob URL on a temporary
 * link (in the document, as some browsers require), clicked and released.
 * For backend files that need the Backstage token, which a plain link
 * would not send.
 */
export function saveBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  URL.revokeObjectURL(url);
}
