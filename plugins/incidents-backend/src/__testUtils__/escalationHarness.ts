/* eslint-disable jest/no-standalone-expect */
import { IncidentPage, IncidentPager } from '@vigil/plugin-incidents-node';

/** A clock tests set and fast-forward. */
export class TestClock {
  private current: Date;

  constructor(start: string) {
    this.current = new Date(start);
  }

  readonly now = () => new Date(this.current);

  set(iso: string) {
    this.current = new Date(iso);
  }

  advance(duration: { minutes?: number; seconds?: number; hours?: number }) {
    const ms =
      (duration.hours ?? 0) * 3_600_000 +
      (duration.minutes ?? 0) * 60_000 +
      (duration.seconds ?? 0) * 1000;
    this.current = new Date(this.current.getTime() + ms);
  }
}

/**
 * A pager that keeps what it was asked to send. Tests take the pages they
 * expect with `expectPages`; `expectNoMore` (run after each test) fails on
 * any page nobody expected. `failNext` makes the next sends throw.
 */
export class CapturingPager implements IncidentPager {
  readonly id: string;
  sent: IncidentPage[] = [];
  failNext = 0;

  constructor(id = 'capture') {
    this.id = id;
  }

  async send(page: IncidentPage): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('pager unavailable');
    }
    this.sent.push(page);
  }

  /** `<ref> <recipient> step <n>` for each page sent since the last take. */
  take(): string[] {
    const taken = this.sent
      .map(p => `${p.incident.ref} ${p.recipient} step ${p.step}`)
      .sort();
    this.sent = [];
    return taken;
  }

  expectPages(expected: string[]) {
    expect(this.take()).toEqual([...expected].sort());
  }

  expectNoMore() {
    expect(this.take()).toEqual([]);
  }
}
