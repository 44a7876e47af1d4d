import {
  PermissionCondition,
  PermissionCriteria,
  PermissionRuleParams,
} from '@backstage/plugin-permission-common';

type Criteria = PermissionCriteria<
  PermissionCondition<string, PermissionRuleParams>
>;

/**
 * Whether a conditional decision's criteria use the named rule anywhere
 * (inside `allOf`, `anyOf` and `not` too). Reading a rule's extra data (such
 * as the users paged for an incident, for `IS_PAGED`) is only worth it when
 * the decision asks about it.
 */
export function usesRule(criteria: Criteria, ruleName: string): boolean {
  if ('allOf' in criteria) {
    return criteria.allOf.some(c => usesRule(c, ruleName));
  }
  if ('anyOf' in criteria) {
    return criteria.anyOf.some(c => usesRule(c, ruleName));
  }
  if ('not' in criteria) {
    return usesRule(criteria.not, ruleName);
  }
  return criteria.rule === ruleName;
}
