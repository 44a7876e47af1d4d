/**
 * Catalog annotation naming the on-call schedule of a component or group.
 * @public
 */
export const ANNOTATION_ONCALL_SCHEDULE = 'vigil.dev/oncall-schedule';

/**
 * Catalog annotation naming the escalation policy of a component or group.
 * @public
 */
export const ANNOTATION_ESCALATION_POLICY = 'vigil.dev/escalation-policy';

/**
 * Catalog annotation with a label selector (`key=value,key2=value2`) that
 * maps incoming alerts to a component.
 * @public
 */
export const ANNOTATION_ALERT_SELECTOR = 'vigil.dev/alert-selector';
