/*
 * The postmortem template: a title and Markdown sections from app-config,
 * with `{{placeholders}}` filled from the incident when a postmortem starts.
 */
import {
  ACKNOWLEDGEMENT_SOURCE_LABELS,
  ActionItem,
  Incident,
  Runbook,
  SEVERITY_TABLE,
  TimelineEntry,
} from '@vigil/plugin-incidents-common';

/** A template as configured (`incidents.postmortems.template`). */
export interface PostmortemTemplate {
  /** The postmortem's title. */
  title: string;
  /** Each section becomes `## <title>` followed by its body. */
  sections: Array<{ title: string; body: string }>;
}

/** What a template can be filled from. */
export interface TemplateInput {
  incident: Incident;
  timeline: TimelineEntry[];
  actionItems: ActionItem[];
  /** The incident's runbooks (catalog, alerts, config), when known. */
  runbooks?: Runbook[];
}

const NOT_RECORDED = '_Not recorded on the incident._';

/** Every placeholder a template may use, and how it is filled. */
const PLACEHOLDERS: Record<string, (input: TemplateInput) => string> = {
  ref: ({ incident }) => incident.ref,
  title: ({ incident }) => incident.title,
  description: ({ incident }) => incident.description?.trim() || NOT_RECORDED,
  severity: ({ incident }) => SEVERITY_TABLE[incident.severity].label,
  services: ({ incident }) =>
    incident.affectedServices.length
      ? incident.affectedServices.join(', ')
      : 'none recorded',
  environments: ({ incident }) =>
    incident.environments.length
      ? incident.environments.join(', ')
      : 'none recorded',
  openedAt: ({ incident }) => formatTime(incident.openedAt),
  acknowledgedAt: ({ incident }) => formatTime(incident.acknowledgedAt),
  acknowledgedVia: ({ incident }) =>
    incident.acknowledgedVia
      ? ACKNOWLEDGEMENT_SOURCE_LABELS[incident.acknowledgedVia]
      : 'not recorded',
  mitigatedAt: ({ incident }) => formatTime(incident.mitigatedAt),
  resolvedAt: ({ incident }) => formatTime(incident.resolvedAt),
  duration: ({ incident }) =>
    formatDuration(incident.openedAt, incident.resolvedAt),
  timeToAcknowledge: ({ incident }) =>
    formatDuration(incident.openedAt, incident.acknowledgedAt),
  timeToMitigate: ({ incident }) =>
    formatDuration(incident.openedAt, incident.mitigatedAt),
  commander: ({ incident }) => incident.roles.commander ?? 'none',
  roles: ({ incident }) => {
    const { commander, commsOwner, technicalLead, responders } = incident.roles;
    return [
      `- Commander: ${commander ?? 'none'}`,
      `- Comms owner: ${commsOwner ?? 'none'}`,
      `- Technical lead: ${technicalLead ?? 'none'}`,
      `- Responders: ${
        [incident.responder, ...responders]
          .filter((r, i, all): r is string => !!r && all.indexOf(r) === i)
          .join(', ') || 'none'
      }`,
    ].join('\n');
  },
  affectedUsers: ({ incident }) =>
    incident.impact.affectedUsers !== undefined
      ? incident.impact.affectedUsers.toLocaleString('en-US')
      : 'not estimated',
  businessImpact: ({ incident }) =>
    incident.impact.businessImpact?.trim() || 'not estimated',
  rootCause: ({ incident }) => {
    const { confirmedCause, hypothesis } = incident.rootCause;
    if (confirmedCause?.trim()) {
      return confirmedCause.trim();
    }
    return hypothesis?.trim()
      ? `Hypothesis (not confirmed): ${hypothesis.trim()}`
      : NOT_RECORDED;
  },
  trigger: ({ incident }) => {
    const parts = [incident.rootCause.trigger?.trim()].filter(Boolean);
    if (incident.change) {
      const { url, title } = incident.change;
      parts.push(`Change: [${title ?? url}](${url})`);
    }
    return parts.length ? parts.join('\n\n') : NOT_RECORDED;
  },
  resolution: ({ timeline }) => {
    const moves = timeline.filter(
      e =>
        e.kind === 'status' &&
        ['mitigated', 'resolved'].includes(String(e.data?.to)),
    );
    return moves.length
      ? moves
          .map(e => `- ${formatTime(e.createdAt)}: ${e.message} (${e.actor})`)
          .join('\n')
      : NOT_RECORDED;
  },
  timeline: ({ timeline }) =>
    timeline.length
      ? [
          '| time (UTC) | who | what |',
          '| --- | --- | --- |',
          ...timeline.map(
            e =>
              `| ${formatTime(e.createdAt)} | ${e.actor} | ${tableCell(
                e.message,
              )} |`,
          ),
        ].join('\n')
      : NOT_RECORDED,
  runbooks: ({ runbooks }) =>
    runbooks?.length
      ? runbooks
          .map(
            r =>
              `- [${r.title}](${r.url}) — for ${r.subjects
                .map(s => s.replace(/^alert:/, 'alert '))
                .join(', ')}`,
          )
          .join('\n')
      : '_No runbooks for these services or alerts._',
  actionItems: ({ actionItems }) =>
    actionItems.length
      ? actionItems
          .map(
            item =>
              `- [${item.done ? 'x' : ' '}] ${item.title}${
                item.owner ? ` — owner ${item.owner}` : ''
              }${item.dueDate ? ` — due ${item.dueDate}` : ''}${
                item.horizon ? ` — ${item.horizon} term` : ''
              }`,
          )
          .join('\n')
      : '_Add action items in the table below; each has an owner and a due date._',
};

const PLACEHOLDER_PATTERN = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** The default template: the sections the design asks for. */
export const DEFAULT_TEMPLATE: PostmortemTemplate = {
  title: 'Postmortem: {{ref}} {{title}}',
  sections: [
    {
      title: 'Summary',
      body: [
        '{{severity}} incident {{ref}} affected {{services}} for {{duration}}.',
        '',
        '_What happened, when, and how it was resolved, in three or four sentences._',
        '',
        '{{roles}}',
      ].join('\n'),
    },
    {
      title: 'Impact',
      body: [
        '- Duration: {{duration}} (opened {{openedAt}}, resolved {{resolvedAt}})',
        '- Time to acknowledge: {{timeToAcknowledge}} (via {{acknowledgedVia}}); to mitigate: {{timeToMitigate}}',
        '- Affected users: {{affectedUsers}}',
        '- Business impact: {{businessImpact}}',
        '- Services: {{services}}; environments: {{environments}}',
      ].join('\n'),
    },
    { title: 'Timeline', body: '{{timeline}}' },
    { title: 'Root cause', body: '{{rootCause}}' },
    { title: 'Trigger', body: '{{trigger}}' },
    {
      title: "Why wasn't it caught earlier?",
      body: '_Why did monitoring not alert; why did nobody see it coming?_',
    },
    {
      title: 'Why did it take this long?',
      body: '_What made detection, response or recovery slower than it could have been?_',
    },
    { title: 'Resolution', body: '{{resolution}}' },
    { title: 'Action items', body: '{{actionItems}}' },
    {
      title: 'Lessons learned',
      body: '_What went well, what went badly, where we got lucky, and what we will do differently._',
    },
  ],
};

/** Throws, naming the key, when a template uses an unknown placeholder. */
export function validateTemplate(template: PostmortemTemplate, where: string) {
  const texts = [
    template.title,
    ...template.sections.flatMap(s => [s.title, s.body]),
  ];
  if (!template.title.trim()) {
    throw new Error(`${where}.title must not be empty`);
  }
  if (template.sections.length === 0) {
    throw new Error(`${where}.sections must list at least one section`);
  }
  for (const text of texts) {
    for (const [, name] of text.matchAll(PLACEHOLDER_PATTERN)) {
      if (!(name in PLACEHOLDERS)) {
        throw new Error(
          `${where}: unknown placeholder {{${name}}}; use one of ${Object.keys(
            PLACEHOLDERS,
          )
            .map(p => `{{${p}}}`)
            .join(', ')}`,
        );
      }
    }
  }
}

function fill(text: string, input: TemplateInput): string {
  return text.replace(PLACEHOLDER_PATTERN, (match, name: string) =>
    PLACEHOLDERS[name] ? PLACEHOLDERS[name](input) : match,
  );
}

/** The postmortem's title and Markdown body, filled from the incident. */
export function renderTemplate(
  template: PostmortemTemplate,
  input: TemplateInput,
): { title: string; body: string } {
  const title = fill(template.title, input).trim().slice(0, 400);
  const body = [
    `# ${title}`,
    ...template.sections.map(s =>
      `## ${fill(s.title, input)}\n\n${fill(s.body, input)}`.trimEnd(),
    ),
  ].join('\n\n');
  return { title, body: `${body}\n` };
}

function formatTime(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'not recorded';
}

/** `2 h 15 min`, `3 d 4 h`, `45 s`; `not recorded` without an end. */
export function formatDuration(
  fromIso: string,
  toIso: string | undefined,
): string {
  if (!toIso) {
    return 'not recorded';
  }
  const seconds = Math.max(
    0,
    Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000),
  );
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = Math.floor(seconds / 60);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) {
    return hours ? `${days} d ${hours} h` : `${days} d`;
  }
  if (hours > 0) {
    return mins ? `${hours} h ${mins} min` : `${hours} h`;
  }
  return `${mins} min`;
}

/** Keeps a message inside one Markdown table cell. */
function tableCell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}
