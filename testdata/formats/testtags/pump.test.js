// Verifies: SRS-900 (before any test: reported)
const { accept } = require('./pump');

describe('bolus', () => {
  // Verifies: SRS-001
  it('rejects a bolus above the limit', () => {
    expect(accept(11)).toBe(false);
  });

  describe('rate', () => {
    test("accepts 12 mL/h", () => {
      // Verifies: SRS-002
      const s = 'Verifies: SRS-999 in a string';
      expect(accept(12)).toBe(true);
    });

    /**
     * @verifies SRS-003
     */
    it.each([[1], [2]])('accepts %i mL/h', (r) => {
      expect(accept(r)).toBe(true);
    });
  });

  it(`logs the {limit}`, () => expect(1).toBe(1));
});

// Verifies: SRS-010
describe('occlusion alarm', () => {
  // Verifies: SRS-903 (in the describe, on no test: reported)
  const pump = {};

  it('raises within 2 s', () => {});
  it.skip('clears', () => {});
});

test('top-level', () => {}); // Verifies: SRS-011
