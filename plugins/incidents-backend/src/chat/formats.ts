/*
 * Chat posts as Slack Block Kit (incoming webhooks) and Microsoft Teams
 * Adaptive Cards (incoming webhooks / Workflows). One neutral message is
 * rendered for either; `schemas.ts` holds the shapes they are checked
 * against.
 */
import { Severity, SEVERITY_TABLE } from '@vigil/plugin-incidents-common';
import { ChatEvent } from './config';

/** The Slack action id of the Acknowledge button. */
export const SLACK_ACK_ACTION = 'vigil_acknowledge';

/** A chat post before it is rendered for Slack or Teams. */
export interface ChatMessage {
  event: ChatEvent;
  /** One line: Slack's notification text, Teams' summary. */
  summary: string;
  /** The headline. */
  title: string;
  /** Plain text (escaped for each format). */
  body?: string;
  severity?: Severity;
  facts: Array<{ title: string; value: string }>;
  /** Buttons that open a URL (war room, postmortem). */
  links: Array<{ label: string; url: string }>;
  /** A page's Acknowledge button. */
  acknowledge?: {
    /** Slack: the signed token the button posts back (interactivity). */
    token?: string;
    /** The confirmation page of the acknowledge link. */
    url?: string;
  };
}

const clip = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/** Slack's mrkdwn control characters (&, <, >) escaped. */
export function escapeSlack(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const severityLabel = (s: Severity) => SEVERITY_TABLE[s]?.label ?? s;

/** A Slack incoming-webhook body: fallback text and Block Kit blocks. */
export function toSlack(
  message: ChatMessage,
  options: { interactive: boolean },
) {
  const blocks: Array<Record<string, unknown>> = [
    {
      type: 'header',
      text: { type: 'plain_text', text: clip(message.title, 150), emoji: true },
    },
  ];
  if (message.body) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clip(escapeSlack(message.body), 3000) },
    });
  }
  const facts = [
    ...(message.severity
      ? [{ title: 'Severity', value: severityLabel(message.severity) }]
      : []),
    ...message.facts,
  ].slice(0, 10);
  if (facts.length) {
    blocks.push({
      type: 'section',
      fields: facts.map(f => ({
        type: 'mrkdwn',
        text: clip(`*${escapeSlack(f.title)}*\n${escapeSlack(f.value)}`, 2000),
      })),
    });
  }
  const elements: Array<Record<string, unknown>> = [];
  const ack = message.acknowledge;
  if (ack?.token && options.interactive) {
    elements.push({
      type: 'button',
      action_id: SLACK_ACK_ACTION,
      text: { type: 'plain_text', text: 'Acknowledge' },
      style: 'primary',
      value: ack.token,
    });
  } else if (ack?.url) {
    elements.push({
      type: 'button',
      action_id: 'vigil_acknowledge_link',
      text: { type: 'plain_text', text: 'Acknowledge' },
      style: 'primary',
      url: ack.url,
    });
  }
  message.links.forEach((link, i) =>
    elements.push({
      type: 'button',
      action_id: `vigil_link_${i}`,
      text: { type: 'plain_text', text: clip(link.label, 75) },
      url: link.url,
    }),
  );
  if (elements.length) {
    blocks.push({ type: 'actions', elements: elements.slice(0, 25) });
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `Vigil · ${message.event}` }],
  });
  return { text: clip(escapeSlack(message.summary), 3000), blocks };
}

/** A Teams incoming-webhook / Workflows body holding one Adaptive Card 1.4. */
export function toTeams(message: ChatMessage) {
  const body: Array<Record<string, unknown>> = [
    {
      type: 'TextBlock',
      text: message.title,
      weight: 'Bolder',
      size: 'Medium',
      wrap: true,
      ...(message.severity === 'sev1' || message.severity === 'sev2'
        ? { color: 'Attention' }
        : {}),
    },
  ];
  if (message.body) {
    body.push({ type: 'TextBlock', text: message.body, wrap: true });
  }
  const facts = [
    ...(message.severity
      ? [{ title: 'Severity', value: severityLabel(message.severity) }]
      : []),
    ...message.facts,
  ];
  if (facts.length) body.push({ type: 'FactSet', facts });
  const actions: Array<Record<string, unknown>> = [];
  // Teams' incoming webhooks post no button presses back: acknowledging is
  // the link's confirmation page.
  if (message.acknowledge?.url) {
    actions.push({
      type: 'Action.OpenUrl',
      title: 'Acknowledge',
      url: message.acknowledge.url,
      style: 'positive',
    });
  }
  for (const link of message.links) {
    actions.push({ type: 'Action.OpenUrl', title: link.label, url: link.url });
  }
  return {
    type: 'message',
    summary: message.summary,
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(actions.length ? { actions } : {}),
        },
      },
    ],
  };
}
