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

/**
 * Catalog annotation listing a component's runbooks: URLs separated by
 * commas or new lines, each optionally titled as `Title | https://…`.
 * @public
 */
export const ANNOTATION_RUNBOOKS = 'vigil.dev/runbooks';

/**
 * Annotation of a scaffolder template tagged {@link RUNBOOK_TEMPLATE_TAG}:
 * the components (names or refs) and alerts (`alert:<alertname>`) it
 * automates, comma-separated.
 * @public
 */
export const ANNOTATION_RUNBOOK_FOR = 'vigil.dev/runbook-for';

/**
 * The tag marking a scaffolder template as a Vigil runbook automation.
 * @public
 */
export const RUNBOOK_TEMPLATE_TAG = 'vigil-runbook';
