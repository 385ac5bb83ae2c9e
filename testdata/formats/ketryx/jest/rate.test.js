// A Jest test written for tracegate's fixture run, with Ketryx's @tests:
// tags in its titles as Ketryx documents them.
const maxRate = (set) => (set === 20 ? 999 : 1200);

describe('Rate limits @tests:SRS-012', () => {
  it('rejects a rate above the range', () => {
    expect(maxRate(20)).toBeLessThan(1000);
  });
  it('accepts the top of the range @tests:TC-012', () => {
    expect(maxRate(60)).toBe(999);
  });
});

describe('Rate monitor', () => {
  it.skip('stops the pump on a deviation @tests:SDS-010', () => {});
});
