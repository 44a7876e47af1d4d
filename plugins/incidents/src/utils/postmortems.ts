import { Postmortem } from '@vigil/plugin-incidents-common';

/**
 * The postmortem, or undefined when it has not been started (the backend's
 * 404), which pages show as a state rather than an error.
 */
export async function postmortemOrNothing(
  load: () => Promise<Postmortem>,
): Promise<Postmortem | undefined> {
  try {
    return await load();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) {
      return undefined;
    }
    throw error;
  }
}
