import { Field, ObjectType } from 'type-graphql';

@ObjectType({
  simpleResolvers: true,
  description: 'Where the facts of a meeting come from: an official readout, a wire story, a think-tank page.',
})
export class Source {
  @Field({ description: 'Publisher, e.g. "U.S. Department of State", "Xinhua".' })
  publisher!: string;

  @Field(() => String, { nullable: true, description: 'Title of the piece.' })
  title!: string | null;

  @Field(() => String, { nullable: true, description: 'Where it was published online, if known.' })
  url!: string | null;

  @Field(() => String, { nullable: true, description: 'Publication date: "YYYY-MM-DD", or "YYYY-MM"/"YYYY" when only that is known.' })
  publishedDate!: string | null;

  @Field(() => String, { nullable: true, description: 'What this source does or does not support, and how it was identified.' })
  note!: string | null;
}
