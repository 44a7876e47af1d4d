export { EscalationSteps, EscalationTargetLabel } from './EscalationSteps';
