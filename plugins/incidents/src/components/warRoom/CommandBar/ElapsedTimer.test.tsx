import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { ElapsedTimer, formatElapsed } from './ElapsedTimer';

describe('ElapsedTimer', () => {
  it('formats hours, minutes and seconds, with days beyond one', () => {
    expect(formatElapsed(0)).toBe('0:00:00');
    expect(formatElapsed(3_723_000)).toBe('1:02:03');
    expect(formatElapsed(2 * 86_400_000 + 61_000)).toBe('2d 0:01:01');
    expect(formatElapsed(-5_000)).toBe('0:00:00');
  });

  it('stops at the resolution', async () => {
    await renderInTestApp(
      <ElapsedTimer
        incident={{
          openedAt: '2026-11-22T05:00:00.000Z',
          resolvedAt: '2026-11-22T06:30:15.000Z',
        }}
      />,
    );
    expect(screen.getByRole('timer')).toHaveTextContent('1:30:15');
    expect(screen.getByRole('timer')).toHaveAccessibleName('Lasted 1:30:15');
  });
});
