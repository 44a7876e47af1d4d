import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Link, Route, Routes } from 'react-router-dom';
import { ResponseError } from '@backstage/errors';
import { Postmortem } from '@vigil/plugin-incidents-common';
import {
  createFakeIncidentsApi,
  fakePermissionApi,
  makeDetail,
  makePostmortem,
  renderWithApis,
} from '../../../__testUtils__';
import { PostmortemPage } from './PostmortemPage';
import { outlineOf } from './outline';

jest.setTimeout(40_000);

const MEMBER = [
  'incidents.incident.read',
  'incidents.incident.update',
  'incidents.incident.note',
];

function render(
  postmortem: Postmortem | undefined,
  options: { allowed?: string[] | 'all'; overrides?: object } = {},
) {
  const incidentsApi = createFakeIncidentsApi({
    getIncident: jest.fn(async () =>
      makeDetail({ status: postmortem ? 'postmortem' : 'resolved' }),
    ),
    getPostmortem: jest.fn(async () => {
      if (!postmortem) {
        throw Object.assign(new Error('INC-1 has no postmortem yet'), {
          statusCode: 404,
        });
      }
      return postmortem;
    }),
    ...options.overrides,
  });
  return renderWithApis(
    <>
      <Link to="/incidents">All incidents</Link>
      <Routes>
        <Route path="/incidents/:id/postmortem" element={<PostmortemPage />} />
        <Route path="/incidents" element={<h1>The incident list</h1>} />
      </Routes>
    </>,
    {
      routeEntries: ['/incidents/INC-1/postmortem'],
      apis: {
        incidentsApi,
        permissionApi: fakePermissionApi(options.allowed ?? MEMBER),
      },
    },
  );
}

async function conflictError() {
  return ResponseError.fromResponse({
    ok: false,
    status: 409,
    statusText: 'Conflict',
    headers: new Headers({ 'content-type': 'application/json' }),
    text: async () =>
      JSON.stringify({
        error: {
          name: 'ConflictError',
          message:
            'The postmortem of INC-1 was changed by user:default/carol at 2026-11-22T09:00:00.000Z (now version 2) since you loaded version 1; reload it and apply your changes again',
        },
        response: { statusCode: 409 },
      }),
  } as unknown as Response);
}

const DRAFT_KEY = 'vigil:postmortem-draft:id-1:1';

afterEach(() => window.localStorage.clear());

/** The postmortem drafts kept in localStorage (the test app keeps more). */
const draftKeys = () =>
  Object.keys(window.localStorage).filter(key =>
    key.startsWith('vigil:postmortem-draft:'),
  );

describe('PostmortemPage', () => {
  it('keeps unsaved edits as a draft and resumes it on the next visit', async () => {
    const first = await render(makePostmortem());
    const editor = await screen.findByRole('textbox', {
      name: 'Postmortem (Markdown)',
    });
    await userEvent.click(editor);
    await userEvent.paste('\nDraft line.');
    expect(JSON.parse(window.localStorage.getItem(DRAFT_KEY)!)).toMatchObject({
      incidentId: 'id-1',
      baseVersion: 1,
      body: expect.stringContaining('Draft line.'),
    });
    first.unmount();

    const { apis } = await render(makePostmortem());
    await waitFor(() =>
      expect(
        (
          screen.getByRole('textbox', {
            name: 'Postmortem (Markdown)',
          }) as HTMLTextAreaElement
        ).value,
      ).toContain('Draft line.'),
    );
    expect(screen.getByText(/Restored your unsaved draft/)).toBeInTheDocument();
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();
    // Nothing reached the server until the user saves.
    expect(apis.incidentsApi.savePostmortem).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(apis.incidentsApi.savePostmortem).toHaveBeenCalledWith('id-1', {
        body: expect.stringContaining('Draft line.'),
        version: 1,
      }),
    );
    await waitFor(() => expect(draftKeys()).toEqual([]));
  });

  it('offers a draft of an older version instead of saving it over the newer one', async () => {
    window.localStorage.setItem(
      DRAFT_KEY,
      JSON.stringify({
        incidentId: 'id-1',
        baseVersion: 1,
        body: '# My old draft\n',
        savedAt: '2026-11-22T08:30:00.000Z',
      }),
    );
    const { apis } = await render(
      makePostmortem({
        version: 2,
        body: '# Carol rewrote it\n',
        updatedBy: 'user:default/carol',
      }),
    );
    const editor = await screen.findByRole('textbox', {
      name: 'Postmortem (Markdown)',
    });
    expect(editor).toHaveValue('# Carol rewrote it\n');
    const offer = screen
      .getByText(/kept your unsaved draft/)
      .closest('[role="alert"]') as HTMLElement;
    expect(offer).toHaveTextContent('based on version 1');
    expect(offer).toHaveTextContent('saved version 2');
    // The draft stays kept while the user decides.
    expect(window.localStorage.getItem(DRAFT_KEY)).not.toBeNull();

    await userEvent.click(
      within(offer).getByRole('button', { name: 'Load my draft' }),
    );
    expect(editor).toHaveValue('# My old draft\n');
    expect(apis.incidentsApi.savePostmortem).not.toHaveBeenCalled();
    // Now kept as a draft of version 2, the one it will be saved over.
    await waitFor(() =>
      expect(
        window.localStorage.getItem('vigil:postmortem-draft:id-1:2'),
      ).not.toBeNull(),
    );
    expect(window.localStorage.getItem(DRAFT_KEY)).toBeNull();
  });

  it('discards an offered draft when asked', async () => {
    window.localStorage.setItem(
      DRAFT_KEY,
      JSON.stringify({
        incidentId: 'id-1',
        baseVersion: 1,
        body: '# My old draft\n',
        savedAt: '2026-11-22T08:30:00.000Z',
      }),
    );
    await render(makePostmortem({ version: 2, body: '# Theirs\n' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Discard draft' }),
    );
    expect(
      screen.getByRole('textbox', { name: 'Postmortem (Markdown)' }),
    ).toHaveValue('# Theirs\n');
    expect(draftKeys()).toEqual([]);
  });

  it('warns before leaving with unsaved changes, in the portal and on unload', async () => {
    await render(makePostmortem());
    const editor = await screen.findByRole('textbox', {
      name: 'Postmortem (Markdown)',
    });
    const unload = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(unload()).toBe(false);

    await userEvent.click(editor);
    await userEvent.paste('\nUnsaved.');
    expect(unload()).toBe(true);

    await userEvent.click(screen.getByRole('link', { name: 'All incidents' }));
    const dialog = screen.getByRole('dialog', {
      name: 'Leave without saving?',
    });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Stay' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect((editor as HTMLTextAreaElement).value).toContain('Unsaved.');

    await userEvent.click(screen.getByRole('link', { name: 'All incidents' }));
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', { name: 'Leave' }),
    );
    expect(
      await screen.findByRole('heading', { name: 'The incident list' }),
    ).toBeInTheDocument();
    expect(unload()).toBe(false);
  });

  it('shows a not-found page for an unknown reference', async () => {
    await render(undefined, {
      overrides: {
        getIncident: jest.fn(async () => {
          throw Object.assign(new Error("Incident 'INC-1' not found"), {
            statusCode: 404,
          });
        }),
      },
    });
    expect(
      await screen.findByText(/Incident INC-1 not found/),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Could not load/)).not.toBeInTheDocument();
  });

  it('leaves without asking when everything is saved', async () => {
    await render(makePostmortem());
    await screen.findByRole('textbox', { name: 'Postmortem (Markdown)' });
    await userEvent.click(screen.getByRole('link', { name: 'All incidents' }));
    expect(
      await screen.findByRole('heading', { name: 'The incident list' }),
    ).toBeInTheDocument();
  });

  it('edits with a live preview and outline, and saves the version it started from', async () => {
    const { apis } = await render(makePostmortem());
    const editor = await screen.findByRole('textbox', {
      name: 'Postmortem (Markdown)',
    });
    const outline = screen.getByRole('list', { name: 'Outline' });
    expect(within(outline).getByText('Summary')).toBeInTheDocument();
    expect(within(outline).getByText('Root cause')).toBeInTheDocument();
    const save = screen.getByRole('button', { name: 'Save' });
    expect(save).toBeDisabled();

    await userEvent.click(editor);
    await userEvent.paste('\n## Lessons learned\n\nRotate **early**.');
    const preview = screen.getByTestId('postmortem-preview');
    expect(
      within(preview).getByRole('heading', { name: 'Lessons learned' }),
    ).toBeInTheDocument();
    expect(within(preview).getByText('early').tagName).toBe('STRONG');
    expect(within(outline).getByText('Lessons learned')).toBeInTheDocument();
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();
    // Moves wait for the save.
    expect(
      screen.getByRole('button', { name: 'Send to review' }),
    ).toBeDisabled();

    await userEvent.click(save);
    await waitFor(() =>
      expect(apis.incidentsApi.savePostmortem).toHaveBeenCalledWith('id-1', {
        body: expect.stringContaining('Rotate **early**.'),
        version: 1,
      }),
    );
    expect(
      await screen.findByText(/^Version 2, revision 1/),
    ).toBeInTheDocument();
  });

  it('saves on Ctrl+S or Cmd+S while typing in the editor', async () => {
    const { apis } = await render(makePostmortem());
    const editor = await screen.findByRole('textbox', {
      name: 'Postmortem (Markdown)',
    });
    // Nothing to save yet: no request.
    await userEvent.click(editor);
    await userEvent.keyboard('{Control>}s{/Control}');
    expect(apis.incidentsApi.savePostmortem).not.toHaveBeenCalled();

    await userEvent.paste('\nMore detail.');
    await userEvent.keyboard('{Control>}s{/Control}');
    await waitFor(() =>
      expect(apis.incidentsApi.savePostmortem).toHaveBeenCalledWith('id-1', {
        body: expect.stringContaining('More detail.'),
        version: 1,
      }),
    );
    expect(
      await screen.findByText(/^Version 2, revision 1/),
    ).toBeInTheDocument();

    await userEvent.paste(' And more.');
    await userEvent.keyboard('{Meta>}s{/Meta}');
    await waitFor(() =>
      expect(apis.incidentsApi.savePostmortem).toHaveBeenCalledTimes(2),
    );
  });

  it('shows a conflict instead of overwriting, and saves over theirs only when asked', async () => {
    const theirs = makePostmortem({
      version: 2,
      body: '# Carol rewrote it\n',
      updatedBy: 'user:default/carol',
    });
    const savePostmortem = jest
      .fn()
      .mockRejectedValueOnce(await conflictError())
      .mockImplementation(async (_id, request) =>
        makePostmortem({ body: request.body, version: request.version + 1 }),
      );
    const getPostmortem = jest
      .fn()
      .mockResolvedValueOnce(makePostmortem())
      .mockResolvedValue(theirs);
    const { apis } = await render(makePostmortem(), {
      overrides: { savePostmortem, getPostmortem },
    });
    const editor = await screen.findByRole('textbox', {
      name: 'Postmortem (Markdown)',
    });
    await userEvent.click(editor);
    await userEvent.paste('mine');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(/was changed by user:default\/carol/),
    ).toBeInTheDocument();
    expect(savePostmortem).toHaveBeenCalledTimes(1);

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save mine over theirs' }),
    );
    await waitFor(() => expect(savePostmortem).toHaveBeenCalledTimes(2));
    expect(savePostmortem).toHaveBeenLastCalledWith('id-1', {
      body: expect.stringContaining('mine'),
      version: 2,
    });
    expect(apis.alertApi.post).not.toHaveBeenCalledWith(
      expect.objectContaining({ severity: 'error' }),
    );
  });

  it('loads their version when asked after a conflict', async () => {
    const theirs = makePostmortem({ version: 2, body: '# Carol rewrote it\n' });
    const getPostmortem = jest
      .fn()
      .mockResolvedValueOnce(makePostmortem())
      .mockResolvedValue(theirs);
    await render(makePostmortem(), {
      overrides: {
        getPostmortem,
        savePostmortem: jest.fn().mockRejectedValue(await conflictError()),
      },
    });
    const editor = await screen.findByRole('textbox', {
      name: 'Postmortem (Markdown)',
    });
    await userEvent.click(editor);
    await userEvent.paste('mine');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Load their version' }),
    );
    await waitFor(() => expect(editor).toHaveValue('# Carol rewrote it\n'));
  });

  it('offers Publish only to those who may publish', async () => {
    const inReview = makePostmortem({ status: 'review', version: 2 });
    await render(inReview);
    expect(
      await screen.findByRole('button', { name: 'Back to draft' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Publish' })).toBeNull();
  });

  it('publishes the version shown, as an admin', async () => {
    const { apis } = await render(
      makePostmortem({ status: 'review', version: 2 }),
      {
        allowed: 'all',
      },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Publish' }),
    );
    await waitFor(() =>
      expect(apis.incidentsApi.movePostmortem).toHaveBeenCalledWith(
        'id-1',
        'published',
        2,
      ),
    );
  });

  it('is read-only once published, with a new revision to change it', async () => {
    await render(
      makePostmortem({
        status: 'published',
        publishedBy: 'user:default/alice',
        publishedAt: '2026-11-23T08:00:00.000Z',
      }),
    );
    expect(
      await screen.findByRole('button', { name: 'Start new revision' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('textbox', { name: 'Postmortem (Markdown)' }),
    ).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    expect(
      screen.getByText(/Published postmortems are read-only/),
    ).toBeInTheDocument();
  });

  it('starts the postmortem of a resolved incident', async () => {
    const { apis } = await render(undefined);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Start postmortem' }),
    );
    await waitFor(() =>
      expect(apis.incidentsApi.startPostmortem).toHaveBeenCalledWith('id-1'),
    );
  });
});

describe('outlineOf', () => {
  it('lists headings up to level 3, outside code blocks', () => {
    expect(
      outlineOf(
        '# A\ntext\n## B ##\n```\n## not a heading\n```\n### C\n#### D',
      ),
    ).toEqual([
      { level: 1, text: 'A' },
      { level: 2, text: 'B' },
      { level: 3, text: 'C' },
    ]);
  });
});
