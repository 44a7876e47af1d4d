import { useEffect, useState } from 'react';
import Alert from '@material-ui/lab/Alert';
import { useHotkeys } from 'react-hotkeys-hook';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  allowedPostmortemMoves,
  isPostmortemEditable,
  Postmortem,
  PostmortemStatus,
} from '@vigil/plugin-incidents-common';
import { incidentsApiRef } from '../../../api';
import { useNotify, useRunAction } from '../../../hooks';
import { describeError } from '../../../utils/errors';
import { PostmortemMarkdown } from '../PostmortemMarkdown';
import { PostmortemOutline } from './PostmortemOutline';
import { UnsavedChangesGuard } from '../../shared/UnsavedChangesGuard';
import { formatTimestamp } from '../../../utils/format';
import { PersonName } from '../../shared/PersonName';
import { clearDraft, PostmortemDraft, readDraft, writeDraft } from './drafts';

/** The label of the button for each move, from the current state. */
function moveLabel(from: PostmortemStatus, to: PostmortemStatus): string {
  if (to === 'review') return 'Send to review';
  if (to === 'published') return 'Publish';
  return from === 'published' ? 'Start new revision' : 'Back to draft';
}

/**
 * The Markdown editor with a live preview and the outline. Saves send the
 * version the edit started from; when someone saved in between, a dialog
 * offers to load their version or to save over it, never silently.
 */
export const PostmortemEditor = (props: {
  incidentId: string;
  postmortem: Postmortem;
  canEdit: boolean;
  canPublish: boolean;
  onChange: (postmortem: Postmortem) => void;
}) => {
  const { incidentId, postmortem, canEdit, canPublish, onChange } = props;
  const api = useApi(incidentsApiRef);
  const notify = useNotify();
  const { run, busy } = useRunAction();
  const [base, setBase] = useState(postmortem);
  const [text, setText] = useState(postmortem.body);
  // A draft this browser kept: of this version it is the user's own edit,
  // resumed; of another, someone saved since, so it is only offered.
  const [draftChecked, setDraftChecked] = useState(false);
  const [restored, setRestored] = useState<PostmortemDraft>();
  const [offered, setOffered] = useState<PostmortemDraft>();
  const [conflict, setConflict] = useState<string>();
  const [saving, setSaving] = useState(false);
  const dirty = text !== base.body;
  const editing = canEdit && isPostmortemEditable(base.status);

  // Looked for once the user may edit (permissions load after the page).
  useEffect(() => {
    if (!editing || draftChecked) {
      return;
    }
    setDraftChecked(true);
    const draft = readDraft(incidentId);
    if (draft?.baseVersion === base.version) {
      if (draft.body !== base.body) {
        setText(draft.body);
        setRestored(draft);
      }
    } else if (draft) {
      setOffered(draft);
    }
  }, [editing, draftChecked, incidentId, base]);

  // Every edit is kept as a draft of the version it started from; a clean
  // editor has none. An offered draft stays until the user decides.
  useEffect(() => {
    if (!editing || !draftChecked || offered) {
      return;
    }
    if (dirty) {
      writeDraft({ incidentId, baseVersion: base.version, body: text });
    } else {
      clearDraft(incidentId);
    }
  }, [editing, draftChecked, offered, dirty, incidentId, base.version, text]);

  const discardDraft = () => {
    setOffered(undefined);
    setRestored(undefined);
    setText(base.body);
    clearDraft(incidentId);
  };
  const loadOffered = () => {
    if (offered) {
      setText(offered.body);
      setOffered(undefined);
    }
  };

  // A newer version from elsewhere (a signal, someone's save) replaces the
  // text only while there are no unsaved edits.
  useEffect(() => {
    if (postmortem.version > base.version && !dirty) {
      setBase(postmortem);
      setText(postmortem.body);
    }
  }, [postmortem, base.version, dirty]);

  const accept = (saved: Postmortem) => {
    setBase(saved);
    setText(saved.body);
    setRestored(undefined);
    onChange(saved);
  };

  const save = async (version = base.version) => {
    setSaving(true);
    try {
      accept(await api.savePostmortem(incidentId, { body: text, version }));
      notify('Postmortem saved', 'success', { transient: true });
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 409) {
        setConflict(describeError(error));
      } else {
        notify(
          `Could not save the postmortem: ${describeError(error)}`,
          'error',
        );
      }
    } finally {
      setSaving(false);
    }
  };

  const loadTheirs = async () => {
    setConflict(undefined);
    const latest = await api.getPostmortem(incidentId);
    setBase(latest);
    setText(latest.body);
    onChange(latest);
  };

  const overwrite = async () => {
    setConflict(undefined);
    const latest = await api.getPostmortem(incidentId);
    await save(latest.version);
  };

  const move = async (to: PostmortemStatus) => {
    await run(moveLabel(base.status, to).toLocaleLowerCase('en-US'), async () =>
      accept(await api.movePostmortem(incidentId, to, base.version)),
    );
  };

  // Ctrl/Cmd+S saves, also while typing; never the browser's "save page".
  useHotkeys(
    'ctrl+s, meta+s',
    () => {
      if (editing && dirty && !saving) {
        save();
      }
    },
    {
      enableOnFormTags: true,
      enableOnContentEditable: true,
      preventDefault: true,
    },
  );
  const moves = allowedPostmortemMoves(base.status).filter(to =>
    to === 'published' ? canPublish : canEdit,
  );

  return (
    <>
      <Box display="flex" alignItems="center" mb={2} style={{ gap: 8 }}>
        {editing && (
          <Button
            variant="contained"
            color="primary"
            disabled={!dirty || saving}
            onClick={() => save()}
            aria-keyshortcuts="Control+S Meta+S"
          >
            Save
          </Button>
        )}
        {moves.map(to => (
          <Button
            key={to}
            variant={to === 'published' ? 'contained' : 'outlined'}
            color={to === 'published' ? 'secondary' : 'default'}
            disabled={busy || saving || dirty}
            title={dirty ? 'Save your changes first' : undefined}
            onClick={() => move(to)}
          >
            {moveLabel(base.status, to)}
          </Button>
        ))}
        {/* Primary text: the secondary grey on the page is under 4.5:1. */}
        <Typography variant="body2">
          {dirty
            ? 'Unsaved changes'
            : `Version ${base.version}, revision ${base.revision}, saved by ${base.updatedBy}`}
        </Typography>
      </Box>
      <UnsavedChangesGuard
        when={editing && dirty}
        description="your postmortem edits"
      />
      {restored && (
        <Alert
          severity="info"
          style={{ marginBottom: 16 }}
          action={<Button onClick={discardDraft}>Discard draft</Button>}
        >
          Restored your unsaved draft from {formatTimestamp(restored.savedAt)}.
          Save to keep it.
        </Alert>
      )}
      {offered && (
        <Alert
          severity="warning"
          style={{ marginBottom: 16 }}
          action={
            <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
              <Button onClick={loadOffered}>Load my draft</Button>
              <Button onClick={discardDraft}>Discard draft</Button>
            </Box>
          }
        >
          This browser kept your unsaved draft from{' '}
          {formatTimestamp(offered.savedAt)}, based on version{' '}
          {offered.baseVersion}; since then{' '}
          <PersonName actor={base.updatedBy} /> saved version {base.version},
          shown here. Your draft was not saved over it: load it into the editor
          to compare and merge, or discard it.
        </Alert>
      )}
      {!isPostmortemEditable(base.status) && (
        <Typography variant="body2" paragraph>
          Published by {base.publishedBy} on {base.publishedAt}. Published
          postmortems are read-only; start a new revision to change it.
        </Typography>
      )}
      <Grid container spacing={2}>
        <Grid item xs={12} md={2}>
          <PostmortemOutline body={text} />
        </Grid>
        {editing && (
          <Grid item xs={12} md={5}>
            <InfoCard title="Markdown">
              <TextField
                id="postmortem-body"
                label="Postmortem (Markdown)"
                multiline
                fullWidth
                variant="outlined"
                minRows={24}
                maxRows={60}
                value={text}
                onChange={e => setText(e.target.value)}
                inputProps={{
                  maxLength: 200_000,
                  style: { fontFamily: 'monospace', fontSize: 13 },
                }}
              />
            </InfoCard>
          </Grid>
        )}
        <Grid item xs={12} md={editing ? 5 : 10}>
          <InfoCard title="Preview">
            <PostmortemMarkdown content={text} />
          </InfoCard>
        </Grid>
      </Grid>
      <Dialog
        open={conflict !== undefined}
        onClose={() => setConflict(undefined)}
      >
        <DialogTitle>Someone else saved this postmortem</DialogTitle>
        <DialogContent>
          <DialogContentText>{conflict}</DialogContentText>
          <DialogContentText>
            Load their version (copy your text first if you need it), or save
            yours over theirs.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConflict(undefined)}>Keep editing</Button>
          <Button onClick={loadTheirs}>Load their version</Button>
          <Button color="secondary" onClick={overwrite}>
            Save mine over theirs
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
};
