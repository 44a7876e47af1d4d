import { usesRule } from './conditions';

const rule = (name: string) => ({
  rule: name,
  resourceType: 'incidents-incident',
  params: { claims: ['user:default/carol'] },
});

describe('usesRule', () => {
  it('finds a rule at any depth of allOf, anyOf and not', () => {
    expect(usesRule(rule('IS_PAGED'), 'IS_PAGED')).toBe(true);
    expect(usesRule(rule('IS_COMMANDER'), 'IS_PAGED')).toBe(false);
    expect(
      usesRule(
        {
          anyOf: [rule('IS_COMMANDER'), { allOf: [{ not: rule('IS_PAGED') }] }],
        },
        'IS_PAGED',
      ),
    ).toBe(true);
    expect(
      usesRule(
        { allOf: [rule('IS_COMMANDER'), rule('IS_OWNED_BY')] },
        'IS_PAGED',
      ),
    ).toBe(false);
  });

  it('does not match a rule name that only appears in a parameter', () => {
    // A claim that happens to read "IS_PAGED" is not the rule.
    const condition = {
      rule: 'IS_COMMANDER',
      resourceType: 'incidents-incident',
      params: { claims: ['IS_PAGED'] },
    };
    expect(usesRule(condition, 'IS_PAGED')).toBe(false);
  });
});
