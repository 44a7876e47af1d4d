import { isLinkableActor, splitList, toUserRef } from './refs';

describe('refs', () => {
  it('completes user refs', () => {
    expect(toUserRef('alice')).toBe('user:default/alice');
    expect(toUserRef(' user:ops/bob ')).toBe('user:ops/bob');
    expect(toUserRef('  ')).toBeUndefined();
    expect(() => toUserRef('group:default/sre')).toThrow('not a user');
    expect(() => toUserRef('user:')).toThrow();
  });

  it('splits lists', () => {
    expect(splitList('prod, staging,\nprod,, eu-west')).toEqual([
      'prod',
      'staging',
      'eu-west',
    ]);
  });

  it('links users but not named system actors', () => {
    expect(isLinkableActor('user:default/alice')).toBe(true);
    expect(isLinkableActor('system:storm-detector')).toBe(false);
    expect(isLinkableActor('group:default/sre')).toBe(true);
    expect(isLinkableActor('not a ref')).toBe(false);
  });
});
