import {
  checkJsonInput,
  MAX_JSON_DEPTH,
  requireCalendarDate,
  requireHttpUrl,
  requireText,
} from './input';

describe('input limits', () => {
  it('accepts ordinary JSON, emoji (surrogate pairs) included', () => {
    expect(() =>
      checkJsonInput(
        { title: 'Checkout 🔥 down', n: 2 ** 53 - 1, x: 1.5, tags: ['a'] },
        'body',
      ),
    ).not.toThrow();
  });

  it('names the field that breaks a limit', () => {
    expect(() => checkJsonInput({ a: [{ 'b c': 'x\u0000' }] }, 'body')).toThrow(
      'body.a[0]["b c"]: must not contain NUL characters',
    );
    expect(() => checkJsonInput({ t: '\udfff\ud83d' }, 'body')).toThrow(
      'body.t: must not contain lone UTF-16 surrogates',
    );
    expect(() => checkJsonInput([2 ** 53], 'alerts')).toThrow(
      'alerts[0]: 9007199254740992 is beyond the largest exact integer',
    );
    let deep: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH; i++) deep = [deep];
    expect(() => checkJsonInput(deep, 'body')).not.toThrow();
    expect(() => checkJsonInput({ deep }, 'body')).toThrow(
      `nested deeper than ${MAX_JSON_DEPTH} levels`,
    );
  });

  it('checks text, links and dates', () => {
    expect(requireText('  Checkout down ', 'title')).toBe('Checkout down');
    expect(() => requireText(' \n\t', 'title')).toThrow(
      'title: must not be blank',
    );
    expect(requireHttpUrl('https://ci.example/1', 'url')).toBe(
      'https://ci.example/1',
    );
    // eslint-disable-next-line no-script-url
    for (const url of ['javascript:alert(1)', 'data:,x', '//x', 'http//x']) {
      expect(() => requireHttpUrl(url, 'url')).toThrow(
        'url: must be an http(s) URL',
      );
    }
    expect(requireCalendarDate('2028-02-29', 'dueDate')).toBe('2028-02-29');
    for (const date of ['2026-02-30', '0000-00-00', '2026-13-45']) {
      expect(() => requireCalendarDate(date, 'dueDate')).toThrow(
        `dueDate: '${date}' is not a calendar date`,
      );
    }
  });
});
