export interface Config {
  /** Configuration for the Vigil incidents plugin. */
  incidents?: {
    /**
     * Groups (entity refs) whose members are Vigil admins in the demo
     * permission policy. Default: none.
     */
    adminGroups?: string[];

    /** On-call rotas. Definitions live here; the database holds slots. */
    oncall?: {
      /** Weeks of slots kept generated ahead. Default: 8. */
      horizonWeeks?: number;

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
  };
}
