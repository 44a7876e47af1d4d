import { compareSeverity, parseSeverity, SEVERITIES } from './severity';

describe('parseSeverity', () => {
  it.each([
    ['sev1', 'sev1'],
    ['SEV3', 'sev3'],
    ['P1', 'sev1'],
    ['p4', 'sev4'],
    ['critical', 'sev1'],
    ['High', 'sev2'],
    [' medium ', 'sev3'],
    ['LOW', 'sev4'],
    ['sev5', 'sev5'],
  ])('maps %p to %p', (input, expected) => {
    expect(parseSeverity(input)).toBe(expected);
  });

  it.each(['sev0', 'sev6', 'P5', 'urgent', '', undefined, 1])(
    'rejects %p',
    input => {
      expect(parseSeverity(input)).toBeUndefined();
    },
  );

  it('sorts worst first', () => {
    expect(
      ['sev3', 'sev1', 'sev5', 'sev2'].sort(compareSeverity as any),
    ).toEqual(['sev1', 'sev2', 'sev3', 'sev5']);
    expect(SEVERITIES).toHaveLength(5);
  });
});
