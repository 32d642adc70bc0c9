import { registerEnumType } from 'type-graphql';
import { OutcomeStatus } from '../../generated/prisma/enums';

registerEnumType(OutcomeStatus, {
  name: 'OutcomeStatus',
  description: 'Where an outcome stood as of the meeting that produced it (its `note` tells what became of it later).',
  valuesConfig: {
    AGREED: { description: 'Both sides agreed to it.' },
    PLANNED: { description: 'Both sides said it would happen (a future meeting, a call, a round of talks).' },
    IMPLEMENTED: { description: 'It was carried out at or by this meeting.' },
    DISCUSSED: { description: 'Raised and discussed, without agreement.' },
    DECLINED: { description: 'One side refused it.' },
    SUSPENDED: { description: 'A channel or mechanism was suspended.' },
  },
});

export { OutcomeStatus };
