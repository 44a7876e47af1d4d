import { Entity } from '@backstage/catalog-model';
import {
  automationsFor,
  mergeRunbooks,
  parseRunbookAnnotation,
  templateSubjects,
} from './sources';

const template = (runbookFor: string, namespace = 'default'): Entity => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'restart',
    namespace,
    annotations: { 'vigil.dev/runbook-for': runbookFor },
  },
});

describe('runbook sources', () => {
  it('reads the annotation: commas or new lines, optional titles', () => {
    expect(
      parseRunbookAnnotation(
        ' https://a.example/x ,\nFailover | https://b.example/y?q=1|2\n\n',
      ),
    ).toEqual([
      { title: 'https://a.example/x', url: 'https://a.example/x' },
      { title: 'Failover', url: 'https://b.example/y?q=1|2' },
    ]);
    expect(parseRunbookAnnotation(undefined)).toEqual([]);
  });

  it('merges by URL, keeps http(s) only and prefers a real title', () => {
    const merged = mergeRunbooks([
      {
        title: 'https://a.example/x',
        url: 'https://a.example/x',
        source: 'annotation',
        subject: 'component:default/a',
      },
      {
        title: 'A runbook',
        url: 'https://a.example/x',
        source: 'config',
        subject: 'alert:High',
      },
      {
        title: 'Bad',
        url: 'file:///etc/passwd',
        source: 'alert',
        subject: 'alert:High',
      },
    ]);
    expect(merged).toEqual([
      {
        title: 'A runbook',
        url: 'https://a.example/x',
        sources: ['annotation', 'config'],
        subjects: ['component:default/a', 'alert:High'],
      },
    ]);
  });

  it('names template subjects as refs and alerts', () => {
    expect(
      templateSubjects(
        template('payments-api, component:ops/Gateway, alert:CheckoutErrors'),
      ),
    ).toEqual([
      'component:default/payments-api',
      'component:ops/gateway',
      'alert:CheckoutErrors',
    ]);
  });

  it('links a matching template in its namespace, unmatched ones not at all', () => {
    const [automation] = automationsFor(
      [template('payments-api', 'ops'), template('other')],
      ['component:default/payments-api'],
      'INC-3',
    );
    expect(automation.runPath).toBe(
      `/create/templates/ops/restart?formData=${encodeURIComponent(
        '{"incident":"INC-3","component":"component:default/payments-api"}',
      )}`,
    );
    expect(
      automationsFor([template('other')], ['component:default/a']),
    ).toEqual([]);
  });
});
