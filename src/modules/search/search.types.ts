import { createUnionType, Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../../common/pagination';
import { Meeting } from '../meetings/meeting.type';
import { Organization } from '../organizations/organization.type';
import { Outcome } from '../outcomes/outcome.type';
import { Person } from '../people/person.type';

export enum SearchKind {
  MEETING = 'MEETING',
  OUTCOME = 'OUTCOME',
  PERSON = 'PERSON',
  ORGANIZATION = 'ORGANIZATION',
}

registerEnumType(SearchKind, {
  name: 'SearchKind',
  description: 'What a search hit is.',
  valuesConfig: {
    MEETING: { description: 'A meeting, matched on its title, summary, place, notes, participants, hosts or source titles.' },
    OUTCOME: { description: 'An outcome, matched on its description or note.' },
    PERSON: { description: 'A person, matched on their name (misspellings tolerated) or the roles they held.' },
    ORGANIZATION: { description: 'An organisation, matched on its name (misspellings tolerated).' },
  },
});

export const SearchResult = createUnionType({
  name: 'SearchResult',
  description: 'Anything a search can find.',
  types: () => [Meeting, Outcome, Person, Organization] as const,
  resolveType: (value: object) => (value as { __typename?: string }).__typename,
});

@ObjectType({ simpleResolvers: true, description: 'One search result: what it is, how well it matched, and where.' })
export class SearchHit {
  @Field(() => SearchKind, { description: 'What was found.' })
  kind!: SearchKind;

  @Field(() => Float, {
    description: 'Relevance between 0 and 1, comparable across kinds: full-text rank, or name similarity for people and organisations.',
  })
  score!: number;

  @Field({ description: 'The matching text with the matched words wrapped in <b>…</b>.' })
  snippet!: string;

  @Field(() => SearchResult, { description: 'The meeting, outcome, person or organisation.' })
  node!: typeof SearchResult;
}

export const SearchConnection = ConnectionType('Search', SearchHit, 'search hit');
