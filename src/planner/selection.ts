/**
 * What an operation selects on an object type, as GraphQL execution would see it: fields merged
 * by response key across fragments (named and inline, with type conditions), @include/@skip
 * applied, and each field's arguments coerced from literals, variables and defaults.
 */
import {
  getArgumentValues,
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type FragmentSpreadNode,
  type SelectionSetNode,
} from 'graphql';

export interface OperationScope {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  /** Coerced variable values. */
  variables: Record<string, unknown>;
}

/** The fields selected under one response key. */
export interface SelectedField {
  /** The response key: the alias, or the field's name. */
  key: string;
  name: string;
  nodes: FieldNode[];
  /** The selection sets of every node, merged (GraphQL merges fields of one response key). */
  sets: SelectionSetNode[];
}

function included(scope: OperationScope, node: FieldNode | InlineFragmentNode | FragmentSpreadNode): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, scope.variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, scope.variables)?.if !== false;
}

function applies(scope: OperationScope, typeCondition: string | undefined, type: GraphQLObjectType): boolean {
  if (typeCondition === undefined || typeCondition === type.name) return true;
  const conditionType = scope.schema.getType(typeCondition);
  return conditionType !== undefined && isAbstractType(conditionType) && scope.schema.isSubType(conditionType, type);
}

/** Fields selected on `type` by these selection sets, in response order. */
export function selectFields(scope: OperationScope, type: GraphQLObjectType, sets: readonly SelectionSetNode[]): SelectedField[] {
  const byKey = new Map<string, SelectedField>();
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (!included(scope, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        let field = byKey.get(key);
        if (!field) byKey.set(key, (field = { key, name: selection.name.value, nodes: [], sets: [] }));
        field.nodes.push(selection);
        if (selection.selectionSet) field.sets.push(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(scope, selection.typeCondition?.name.value, type)) walk(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = scope.fragments[name];
        if (!fragment || visited.has(name)) continue;
        visited.add(name);
        if (applies(scope, fragment.typeCondition.name.value, type)) walk(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) walk(set);
  return [...byKey.values()];
}

/** A field's arguments, coerced as execution would coerce them (defaults applied). */
export function argumentsOf(scope: OperationScope, definition: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> {
  return getArgumentValues(definition, node, scope.variables);
}
