/*
 * The subsets of Slack's Block Kit and of Adaptive Cards (1.4) that Vigil
 * sends, as zod schemas written from the official references:
 * - Block Kit: https://docs.slack.dev/reference/block-kit/blocks (header:
 *   plain_text up to 150 characters; section: text up to 3000 or up to 10
 *   fields of up to 2000; actions: up to 25 elements; context: up to 10
 *   elements) and the button element (text plain_text up to 75, action_id
 *   up to 255, url up to 3000, value up to 2000, style primary|danger).
 *   Incoming webhooks take `text` (the notification fallback) and `blocks`.
 * - Adaptive Cards: https://adaptivecards.io/explorer (AdaptiveCard with
 *   version, body of TextBlock / FactSet, actions Action.OpenUrl), posted
 *   to Teams as a message with one attachment of content type
 *   application/vnd.microsoft.card.adaptive.
 * Strict objects: a field Vigil starts sending must be added here (and
 * checked against the reference) first.
 */
import { z } from 'zod';

const plainText = (max: number) =>
  z.strictObject({
    type: z.literal('plain_text'),
    text: z.string().min(1).max(max),
    emoji: z.boolean().optional(),
  });
const mrkdwn = (max: number) =>
  z.strictObject({
    type: z.literal('mrkdwn'),
    text: z.string().min(1).max(max),
  });

const slackButton = z
  .strictObject({
    type: z.literal('button'),
    text: plainText(75),
    action_id: z.string().max(255).optional(),
    url: z.string().url().max(3000).optional(),
    value: z.string().max(2000).optional(),
    style: z.enum(['primary', 'danger']).optional(),
  })
  .refine(b => b.url !== undefined || b.value !== undefined, {
    message: 'a button posts a value back or opens a url',
  });

const slackBlock = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('header'), text: plainText(150) }),
  z
    .strictObject({
      type: z.literal('section'),
      text: mrkdwn(3000).optional(),
      fields: z.array(mrkdwn(2000)).min(1).max(10).optional(),
    })
    .refine(s => s.text || s.fields, {
      message: 'a section has text or fields',
    }),
  z.strictObject({
    type: z.literal('actions'),
    elements: z.array(slackButton).min(1).max(25),
  }),
  z.strictObject({
    type: z.literal('context'),
    elements: z.array(mrkdwn(3000)).min(1).max(10),
  }),
]);

/** A Slack incoming-webhook body as Vigil sends it. */
export const slackMessageSchema = z
  .strictObject({
    text: z.string().min(1).max(3000),
    blocks: z.array(slackBlock).min(1).max(50),
  })
  .refine(
    m => {
      const ids = m.blocks.flatMap(b =>
        b.type === 'actions' ? b.elements.map(e => e.action_id) : [],
      );
      return new Set(ids).size === ids.length;
    },
    { message: 'action_ids are unique within a message' },
  );

const textBlock = z.strictObject({
  type: z.literal('TextBlock'),
  text: z.string().min(1),
  wrap: z.boolean().optional(),
  weight: z.enum(['Default', 'Lighter', 'Bolder']).optional(),
  size: z
    .enum(['Default', 'Small', 'Medium', 'Large', 'ExtraLarge'])
    .optional(),
  color: z
    .enum([
      'Default',
      'Dark',
      'Light',
      'Accent',
      'Good',
      'Warning',
      'Attention',
    ])
    .optional(),
});
const factSet = z.strictObject({
  type: z.literal('FactSet'),
  facts: z
    .array(z.strictObject({ title: z.string(), value: z.string() }))
    .min(1),
});
const openUrl = z.strictObject({
  type: z.literal('Action.OpenUrl'),
  title: z.string().min(1),
  url: z.string().url(),
  style: z.enum(['default', 'positive', 'destructive']).optional(),
});

/** An Adaptive Card (1.4 or later) as Vigil sends it. */
export const adaptiveCardSchema = z.strictObject({
  $schema: z.literal('http://adaptivecards.io/schemas/adaptive-card.json'),
  type: z.literal('AdaptiveCard'),
  version: z
    .string()
    .regex(/^1\.(\d+)$/)
    .refine(v => Number(v.split('.')[1]) >= 4, 'version 1.4 or later'),
  body: z.array(z.discriminatedUnion('type', [textBlock, factSet])).min(1),
  actions: z.array(openUrl).min(1).optional(),
});

/** A Teams incoming-webhook / Workflows body holding one Adaptive Card. */
export const teamsMessageSchema = z.strictObject({
  type: z.literal('message'),
  summary: z.string().optional(),
  attachments: z
    .array(
      z.strictObject({
        contentType: z.literal('application/vnd.microsoft.card.adaptive'),
        contentUrl: z.null().optional(),
        content: adaptiveCardSchema,
      }),
    )
    .length(1),
});
