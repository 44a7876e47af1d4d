import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  incidentAcknowledgePermission,
  incidentCancelPermission,
  incidentCreatePermission,
  incidentReadPermission,
  incidentResolvePermission,
  oncallScheduleManagePermission,
  oncallSwapPermission,
  postmortemPublishPermission,
  statusPageMaintenancePermission,
  statusPagePublishPermission,
} from '@vigil/plugin-incidents-common';
import { VigilDemoPolicy } from './permissionPolicy';

const policy = new VigilDemoPolicy(['group:default/sre']);
const member = {
  identity: {
    type: 'user' as const,
    userEntityRef: 'user:default/guest',
    ownershipEntityRefs: ['user:default/guest', 'group:default/team-payments'],
  },
  info: {
    userEntityRef: 'user:default/guest',
    ownershipEntityRefs: ['user:default/guest', 'group:default/team-payments'],
  },
  token: 'token',
  credentials: {} as any,
};
const admin = {
  ...member,
  info: {
    userEntityRef: 'user:default/alice',
    ownershipEntityRefs: ['user:default/alice', 'group:default/sre'],
  },
};

describe('VigilDemoPolicy', () => {
  it('lets members view and open incidents, and propose on-call swaps', async () => {
    for (const permission of [
      incidentReadPermission,
      incidentCreatePermission,
      // The backend checks that members only give away their own slots.
      oncallSwapPermission,
    ]) {
      expect(await policy.handle({ permission }, member)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('lets a paged user, the owning team or the commander acknowledge', async () => {
    const decision = (await policy.handle(
      { permission: incidentAcknowledgePermission },
      member,
    )) as ConditionalPolicyDecision;
    expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
    expect(decision.pluginId).toBe('incidents');
    expect(decision.conditions).toEqual({
      anyOf: [
        expect.objectContaining({
          rule: 'IS_PAGED',
          params: {
            claims: ['user:default/guest', 'group:default/team-payments'],
          },
        }),
        {
          rule: 'IS_OWNED_BY',
          resourceType: 'incidents-incident',
          params: {
            claims: ['user:default/guest', 'group:default/team-payments'],
          },
        },
        expect.objectContaining({ rule: 'IS_COMMANDER' }),
      ],
    });
  });

  it('lets the responder or commander resolve', async () => {
    const decision = (await policy.handle(
      { permission: incidentResolvePermission },
      member,
    )) as ConditionalPolicyDecision;
    expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
    expect((decision.conditions as any).anyOf.map((c: any) => c.rule)).toEqual([
      'IS_RESPONDER',
      'IS_COMMANDER',
    ]);
  });

  it('keeps cancel, rota edits and publishing for admins', async () => {
    for (const permission of [
      incidentCancelPermission,
      oncallScheduleManagePermission,
      postmortemPublishPermission,
      statusPageMaintenancePermission,
    ]) {
      expect((await policy.handle({ permission }, member)).result).toBe(
        AuthorizeResult.DENY,
      );
      expect((await policy.handle({ permission }, admin)).result).toBe(
        AuthorizeResult.ALLOW,
      );
    }
  });

  it('lets the commander and the comms owner publish on the status page', async () => {
    const decision = (await policy.handle(
      { permission: statusPagePublishPermission },
      member,
    )) as ConditionalPolicyDecision;
    expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
    expect((decision.conditions as any).anyOf.map((c: any) => c.rule)).toEqual([
      'IS_COMMANDER',
      'IS_COMMS_OWNER',
    ]);
    expect(
      (await policy.handle({ permission: statusPagePublishPermission }, admin))
        .result,
    ).toBe(AuthorizeResult.ALLOW);
  });

  it('allows everything outside Vigil', async () => {
    const permission = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
    });
    expect((await policy.handle({ permission }, member)).result).toBe(
      AuthorizeResult.ALLOW,
    );
  });
});
