import { registerEnumType } from 'type-graphql';
import { Asserter } from '../../generated/prisma/enums';

registerEnumType(Asserter, {
  name: 'Asserter',
  description:
    "Whose account claims an outcome. The two sides' readouts often differ: an outcome only one of them claims is worth knowing as such.",
  valuesConfig: {
    US: { description: "The US side's readout or officials' statements." },
    CN: { description: "The Chinese side's readout or officials' statements (including state media relaying them)." },
    JOINT: { description: 'A text both sides issued: a joint statement, a joint summary of outcomes, a signed agreement.' },
    THIRD_PARTY: { description: 'Someone else: a wire story, a think tank or organiser, that attributes it to neither government.' },
  },
});

/**
 * Which sides' accounts claim an outcome, for OutcomeFilter.sideClaims. JOINT counts as both sides;
 * third parties count as neither.
 */
export enum SideClaims {
  ONE_SIDE = 'ONE_SIDE',
  BOTH_SIDES = 'BOTH_SIDES',
  NEITHER_SIDE = 'NEITHER_SIDE',
}

registerEnumType(SideClaims, {
  name: 'SideClaims',
  description: "Which of the two governments' accounts claim an outcome (`assertedBy`), third parties aside.",
  valuesConfig: {
    ONE_SIDE: { description: 'Exactly one: US or CN, not both, and no joint text.' },
    BOTH_SIDES: { description: 'Both: US and CN, or a joint text.' },
    NEITHER_SIDE: { description: 'Neither: only third parties, or the record does not say who asserts it.' },
  },
});

export { Asserter };
