export { EscalationPoliciesCard } from './EscalationPoliciesCard';
