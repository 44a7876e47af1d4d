import {
  allowedMoves,
  describeIllegalMove,
  INCIDENT_STATUSES,
  isActiveStatus,
  isIncidentStatus,
  isMoveAllowed,
} from './lifecycle';

describe('incident lifecycle', () => {
  it('moves forward along the main path, skipping allowed', () => {
    expect(allowedMoves('open')).toEqual([
      'investigating',
      'mitigated',
      'resolved',
      'cancelled',
    ]);
    expect(allowedMoves('investigating')).toEqual(['mitigated', 'resolved']);
    expect(allowedMoves('mitigated')).toEqual(['resolved']);
    expect(allowedMoves('resolved')).toEqual(['postmortem']);
  });

  it('has terminal states', () => {
    expect(allowedMoves('postmortem')).toEqual([]);
    expect(allowedMoves('cancelled')).toEqual([]);
  });

  it('never moves backwards or to the same state', () => {
    for (const [i, from] of INCIDENT_STATUSES.entries()) {
      expect(isMoveAllowed(from, from)).toBe(false);
      for (const to of INCIDENT_STATUSES.slice(0, i)) {
        expect(isMoveAllowed(from, to)).toBe(false);
      }
    }
  });

  it('reaches cancelled only from open', () => {
    const from = INCIDENT_STATUSES.filter(s => isMoveAllowed(s, 'cancelled'));
    expect(from).toEqual(['open']);
  });

  it('reaches postmortem only from resolved', () => {
    const from = INCIDENT_STATUSES.filter(s => isMoveAllowed(s, 'postmortem'));
    expect(from).toEqual(['resolved']);
  });

  it('names the allowed moves in the message for an illegal move', () => {
    expect(describeIllegalMove('mitigated', 'open')).toBe(
      "Cannot move an incident from 'mitigated' to 'open'; allowed moves from 'mitigated': resolved",
    );
    expect(describeIllegalMove('cancelled', 'resolved')).toMatch(
      /no further moves are allowed from 'cancelled'/,
    );
  });

  it('recognises statuses and active ones', () => {
    expect(isIncidentStatus('mitigated')).toBe(true);
    expect(isIncidentStatus('closed')).toBe(false);
    expect(isIncidentStatus(3)).toBe(false);
    expect(INCIDENT_STATUSES.filter(isActiveStatus)).toEqual([
      'open',
      'investigating',
      'mitigated',
    ]);
  });
});
