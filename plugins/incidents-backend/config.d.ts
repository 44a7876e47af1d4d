import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration for the Vigil incidents plugin. */
  incidents?: {
    /**
     * Groups (entity refs) whose members are Vigil admins in the demo
     * permission policy. Default: none.
     */
    adminGroups?: string[];

    /**
     * The only Vigil permissions each listed service principal holds, on
     * top of Backstage's externalAccess accessRestrictions (for tokens that
     * another plugin forwards, which Backstage cannot restrict by
     * permission). `subject` is a static token's subject or `plugin:<id>`.
     * Unlisted services keep what Backstage gives them.
     */
    servicePrincipals?: Array<{
      subject: string;
      permissions: string[];
    }>;

    /** On-call rotas. Definitions live here; the database holds slots. */
    oncall?: {
      /** Weeks of slots kept generated ahead. Default: 8. */
      horizonWeeks?: number;

      /** "You are on call from … to …", sent to a shift's owner ahead of it. */
      shiftNotice?: {
        /**
         * How long before the shift starts, e.g. '1h' or { hours: 2 };
         * 0 or false turns shift notices off. Default: 1h.
         */
        before?: string | { [unit: string]: number } | number | boolean;
      };

      /** How often hand-offs and shift notices are checked for. Default: 1m. */
      noticeInterval?: string | { [unit: string]: number };

      /** The schedules. Default: none. */
      schedules?: Array<{
        /** Unique id, used by annotations (vigil.dev/oncall-schedule). */
        id: string;
        /** Display name. Default: the id. */
        name?: string;
        /** IANA time zone the rotation is computed in. Default: UTC. */
        timeZone?: string;
        /** How the rotation turns over. */
        rotation: {
          /** daily, weekly, or custom (with a length). */
          type: 'daily' | 'weekly' | 'custom';
          /** Slot length of a custom rotation, in days or hours. */
          length?: {
            /** Whole days (keeps the hand-off time across DST). */
            days?: number;
            /** Hours (an exact duration). */
            hours?: number;
          };
          /** Hand-off time of day, HH:mm in the time zone. Default: 09:00. */
          handoffTime?: string;
        };
        /** User entity refs in rotation order. */
        members: string[];
        /** The day (YYYY-MM-DD) or instant the first slot starts. */
        start: string;
        /** Inactive schedules generate no slots and page nobody. Default: true. */
        active?: boolean;
      }>;
    };
    /** Escalation policies and the timer task that runs them. */
    escalation?: {
      /**
       * How often each replica looks for due escalation timers and page
       * deliveries. Default: 2 seconds.
       */
      interval?: HumanDuration | string;
      /** Severities that page when an incident opens. Default: [sev1, sev2]. */
      pagingSeverities?: string[];
      /**
       * The policy (id) for incidents whose components name or are listed by
       * no policy. Default: the first policy with no `services`.
       */
      defaultPolicy?: string;
      /**
       * The policies. An incident is paged by the policy each affected
       * component names (vigil.dev/escalation-policy on the component, else
       * on its owner group), else a policy listing the component in
       * `services`, else the first policy with no `services`.
       */
      policies?: Array<{
        /** Unique id, used by the vigil.dev/escalation-policy annotation. */
        id: string;
        /** Display name. Default: the id. */
        name?: string;
        /** Severities this policy pages for. Default: pagingSeverities. */
        severities?: string[];
        /** Component refs this policy is chosen for. Default: none. */
        services?: string[];
        /** Times the whole policy runs again after its last step. Default: 0. */
        repeat?: number;
        /** Ordered steps; each not acknowledged within its delay pages the next too. */
        steps: Array<{
          /** Minutes to wait for an acknowledgement. Default: 15. */
          delayMinutes?: number;
          /** Each exactly one of schedule (id), user or group (entity refs). */
          targets: Array<{ schedule?: string; user?: string; group?: string }>;
        }>;
      }>;
    };

    /** Where pages go besides in-app notifications. */
    paging?: {
      /** Outbound webhooks: each page is POSTed as JSON, signed. */
      webhooks?: Array<{
        id: string;
        url: string;
        /**
         * HMAC-SHA256 key; the x-vigil-signature header is
         * sha256=hex(hmac(secret, `<x-vigil-timestamp>.<body>`)).
         * @visibility secret
         */
        secret: string;
        /** Only pages of these severities. Default: all. */
        severities?: string[];
      }>;
      /** Retries of failed deliveries, with exponential backoff. */
      retry?: {
        /** Default: 5. */
        maxAttempts?: number;
        /** Default: 10 seconds. */
        initialBackoff?: HumanDuration | string;
        /** Default: 10 minutes. */
        maxBackoff?: HumanDuration | string;
      };
    };
    /** Slack and Microsoft Teams channels told about incidents and pages. */
    chat?: {
      /** Slack interactivity (the Acknowledge button of pages). */
      slack?: {
        /**
         * The Slack app's signing secret; without it Slack buttons open the
         * acknowledge link instead of posting back.
         * @visibility secret
         */
        signingSecret?: string;
      };
      channels?: Array<{
        /** Unique; the outbox and pager id is chat:<id>. */
        id: string;
        /** slack (Block Kit) or teams (Adaptive Card). */
        type: 'slack' | 'teams';
        /**
         * The channel's incoming webhook (Teams: incoming webhook or
         * Workflows URL).
         * @visibility secret
         */
        webhookUrl: string;
        /** A public channel never gets internal status updates. Default: false. */
        public?: boolean;
        /**
         * What it is told: page, opened, status, public-update,
         * internal-update, storm, postmortem, handoff. Default: all.
         */
        events?: string[];
        /** Only incidents of these severities. Default: all. */
        severities?: string[];
        /** Only incidents owned by one of these groups. */
        owners?: string[];
        /** Only incidents affecting one of these components. */
        components?: string[];
      }>;
    };
    /**
     * Per severity (sev1…sev5, P1–P4 or critical/high/medium/low): which
     * pagers and chat channels are used and which groups are notified.
     */
    severityPolicy?: {
      [severity: string]: {
        /** Pager ids (notifications, webhook:<id>, chat:<id>, ...). Default: all. */
        pagers?: string[];
        /** Chat channel ids. Default: every channel whose filters match. */
        channels?: string[];
        /** Groups sent a Backstage notification when such an incident opens. */
        notify?: string[];
      };
    };
    /** One-click acknowledge links in pages. */
    ackLinks?: {
      /**
       * HMAC-SHA256 key of the links (16 characters or more); no links
       * without it.
       * @visibility secret
       */
      secret?: string;
      /** How long a link is valid after its page was due. Default: 4 hours. */
      ttl?: HumanDuration | string;
    };
    /** Alert intake and storm aggregation. */
    alerts?: {
      /** The label naming an alert's component. Default: service. */
      serviceLabel?: string;
      /**
       * Alertmanager labels that become tags (`label=value`), which storms
       * also group by. Default: none.
       */
      tagLabels?: string[];
      /** Severity when a sender's is unknown. Default: sev3. */
      defaultSeverity?: string;
      /** Firing alerts at these severities open incidents. Default: [sev1, sev2]. */
      openSeverities?: string[];
      /** Resolve an incident when all of its alerts have cleared. Default: true. */
      autoResolve?: boolean;
      /** Storm aggregation. */
      storm?: {
        /** Default: true. */
        enabled?: boolean;
        /** Alerts firing within this window count together. Default: 60 seconds. */
        window?: HumanDuration | string;
        /** This many alerts sharing a service or tag form a storm. Default: 5. */
        threshold?: number;
      };
      /** PagerDuty Events API v2 intake (`POST /alerts/events-v2`). */
      eventsV2?: {
        /** Accepted routing keys; the id names the sender in alert sources. */
        routingKeys?: Array<{
          id: string;
          /**
           * At least 16 characters.
           * @visibility secret
           */
          key: string;
        }>;
      };
    };
    /** Postmortems: the template, which severities need one, reminders. */
    postmortems?: {
      /** Severities whose incidents need a postmortem. Default: [sev1, sev2]. */
      requiredSeverities?: string[];
      /** Reminder when none is started this long after resolving. Default: 48 hours. */
      startWithin?: HumanDuration | string;
      /** Repeat the reminder this often until published. Default: 24 hours. */
      reminderCadence?: HumanDuration | string;
      /** Remind owners of overdue action items this often. Default: 24 hours. */
      overdueReminderCadence?: HumanDuration | string;
      /** How often the reminder task runs. Default: 5 minutes. */
      checkInterval?: HumanDuration | string;
      /**
       * The Markdown template. Placeholders such as {{duration}},
       * {{timeline}}, {{rootCause}} are filled from the incident (README).
       */
      template?: {
        /** Default: 'Postmortem: {{ref}} {{title}}'. */
        title?: string;
        /** Each is `## title` and its body. Default: the ten standard sections. */
        sections?: Array<{ title: string; body?: string }>;
      };
    };
    /**
     * The public status page, served without sign-in under
     * /api/incidents/public/. Default: off.
     */
    statusPage?: {
      /** Default: true when this block is present. */
      enabled?: boolean;
      /** A stable page id for page.id in the JSON API. Default: from the name. */
      id?: string;
      /** The page's name. Default: Status. */
      name?: string;
      /** The page's public URL, for links, feeds and shortlinks. Default: the backend's. */
      url?: string;
      /** IANA time zone the page's days are counted in. Default: UTC. */
      timeZone?: string;
      /** Incidents of these severities on a listed component are published at once. Default: [sev1, sev2]. */
      autoPublishSeverities?: string[];
      /** The components shown publicly. Default: none. */
      components?: Array<{
        /** A catalog entity ref; an unknown one stops the backend. */
        entityRef: string;
        /** The public name. Default: the entity's title or name. */
        name?: string;
        /** A public description. Default: none. */
        description?: string;
        /** Components of one group are shown together. Default: none. */
        group?: string;
      }>;
      /** Webhooks that receive Statuspage-style payloads of public changes. Default: none. */
      subscribers?: Array<{
        id: string;
        url: string;
        /**
         * HMAC-SHA256 key, signed as the paging webhooks.
         * @visibility secret
         */
        secret: string;
      }>;
    };
    /**
     * The response metrics (Insights): response targets for SLA compliance,
     * business hours, and the time zone days and weeks are counted in.
     */
    metrics?: {
      /**
       * Acknowledge within this, per severity: a duration (`5m`, `1h`, or
       * { minutes: 15 }), or 'next-business-day' (by the end of business
       * hours of the next business day). Default: sev1 5m, sev2 15m,
       * sev3 1h, sev4 and sev5 next-business-day.
       */
      responseTargets?: {
        [severity: string]: string | HumanDuration;
      };
      /** Default: 08:00–18:00, Monday to Friday. */
      businessHours?: {
        /** HH:mm. Default: 08:00. */
        start?: string;
        /** HH:mm. Default: 18:00. */
        end?: string;
        /** 1 = Monday … 7 = Sunday. Default: [1, 2, 3, 4, 5]. */
        days?: number[];
      };
      /** IANA time zone. Default: UTC. */
      timeZone?: string;
    };
    /**
     * Runbooks for components or alert names, shown beside those from the
     * catalog and alerts. Default: none.
     */
    runbooks?: Array<{
      /** Default: the URL. */
      title?: string;
      /** An http(s) URL. */
      url: string;
      /** Component names or refs it applies to. Default: none. */
      components?: string[];
      /** Alert names (Alertmanager's alertname, else the title). Default: none. */
      alerts?: string[];
    }>;
    /** The blast radius of incidents, walked through the catalog. */
    blastRadius?: {
      /** Deepest dependency level walked, 1 to 20. Default: 5. */
      maxDepth?: number;
    };
  };
}
