export interface Config {
  /** Configuration for the Vigil incidents plugin. */
  incidents?: {
    /**
     * Groups (entity refs) whose members are Vigil admins in the demo
     * permission policy. Default: none.
     */
    adminGroups?: string[];
  };
}
