import { describe, expect, it } from 'vitest';
import { inScope, narrowScope, regionClause, regionsOfScope, withRegionClause } from '../../domain/region-scope';

describe('region scope', () => {
  it('takes in a village code under one of its prefixes, at a dot boundary only', () => {
    expect(inScope(['35.09'], '35.09.01.2001')).toBe(true);
    expect(inScope(['35.07', '35.09'], '35.09.01.2001')).toBe(true);
    expect(inScope(['35.09'], '35.07.01.2001')).toBe(false);
    expect(inScope(['35'], '35.07.01.2001')).toBe(true);
    expect(inScope(['35.09.01'], '35.09.02.2001')).toBe(false);
    expect(inScope(['3'], '35.09.01.2001')).toBe(false);
    expect(inScope(['35.09'], '35.09')).toBe(true);
    expect(inScope(['35.09'], '')).toBe(false);
    expect(inScope('national', '35.07.01.2001')).toBe(true);
  });

  it('intersects a requested region: inside the scope the filter, broader the prefixes under it, disjoint nothing', () => {
    expect(narrowScope(['35.09'], '35.09.01')).toEqual(['35.09.01']);
    expect(narrowScope(['35.09'], '35.09')).toEqual(['35.09']);
    expect(narrowScope(['35.09', '35.07'], '35')).toEqual(['35.07', '35.09']);
    expect(narrowScope(['35.09', '36.01'], '35')).toEqual(['35.09']);
    expect(narrowScope(['35.09'], '35.07')).toEqual([]);
    expect(narrowScope(['35.09'], '36')).toEqual([]);
    expect(narrowScope(['35.09'])).toEqual(['35.09']);
    // A prefix under another of the scope adds nothing.
    expect(narrowScope(['35.09.01', '35'])).toEqual(['35']);
    expect(narrowScope('national', '35.07')).toEqual(['35.07']);
    expect(narrowScope('national')).toBe('national');
  });

  it('builds one visibility clause for every query: none for national, an OR of prefixes, or one nothing matches', () => {
    expect(regionClause('national')).toBeUndefined();
    expect(regionClause(['35.09'])).toBe("(Region STARTS_WITH '35.09')");
    expect(regionClause(['35.07', '35.09'])).toBe("(Region STARTS_WITH '35.07' OR Region STARTS_WITH '35.09')");
    expect(regionClause([])).toBe("Region = 'none'");
    expect(withRegionClause("WorkflowType = 'householdRun'", ['35.09'])).toBe("WorkflowType = 'householdRun' AND (Region STARTS_WITH '35.09')");
    expect(withRegionClause("WorkflowType = 'householdRun'", 'national')).toBe("WorkflowType = 'householdRun'");
  });

  it('refuses to quote anything but a region prefix', () => {
    expect(() => regionClause(["35' OR 'x' = 'x"])).toThrow();
    expect(() => regionClause(['3'])).toThrow();
  });

  it('states a scope as the API answers it', () => {
    expect(regionsOfScope('national')).toBeUndefined();
    expect(regionsOfScope(['35.09'])).toEqual(['35.09']);
  });
});
