import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import { incidentsApiRef } from '../../../api';
import { useRunAction } from '../../../hooks';

/**
 * Adds a note, optionally with one link, to an incident's timeline.
 */
export const NoteForm = (props: {
  incidentId: string;
  onAdded: () => void;
}) => {
  const { incidentId, onAdded } = props;
  const api = useApi(incidentsApiRef);
  const { run, busy } = useRunAction();
  const [message, setMessage] = useState('');
  const [url, setUrl] = useState('');
  const [linkTitle, setLinkTitle] = useState('');

  const submit = async () => {
    const ok = await run('add the note', () =>
      api.addNote(incidentId, {
        message: message.trim(),
        links: url.trim()
          ? [{ url: url.trim(), title: linkTitle.trim() || undefined }]
          : undefined,
      }),
    );
    if (ok) {
      setMessage('');
      setUrl('');
      setLinkTitle('');
      onAdded();
    }
  };

  return (
    <Box
      component="form"
      onSubmit={(e: React.FormEvent) => {
        e.preventDefault();
        submit();
      }}
    >
      <TextField
        id="note-message"
        label="Note"
        placeholder="What did you see or do?"
        fullWidth
        multiline
        minRows={2}
        value={message}
        onChange={e => setMessage(e.target.value)}
        onKeyDown={e => {
          // Ctrl/Cmd+Enter posts; Enter alone is a new line.
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            if (!busy && message.trim()) {
              submit();
            }
          }
        }}
        inputProps={{
          maxLength: 10000,
          'aria-keyshortcuts': 'Control+Enter Meta+Enter',
        }}
      />
      <Box display="flex" style={{ gap: 8 }}>
        <TextField
          id="note-link-url"
          label="Link (optional)"
          placeholder="https://"
          fullWidth
          value={url}
          onChange={e => setUrl(e.target.value)}
        />
        <TextField
          id="note-link-title"
          label="Link title"
          fullWidth
          value={linkTitle}
          onChange={e => setLinkTitle(e.target.value)}
          disabled={!url.trim()}
        />
      </Box>
      <Box mt={1} display="flex" justifyContent="flex-end">
        <Button
          type="submit"
          color="primary"
          variant="contained"
          disabled={busy || !message.trim()}
        >
          Add note
        </Button>
      </Box>
    </Box>
  );
};
