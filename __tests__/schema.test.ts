import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  buildSchema,
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { GRAPHQL_SCHEMA_FILE } from '../src/paths';
import { buildAppSchema, printAppSchema } from '../src/schema';
import { MAX_ITEMS } from '../src/common/limits/list-bounds';
import { MAX_CHANNELS } from '../src/modules/channels/channel-limits';
import { createTestDatabase } from './helpers/database';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildAppSchema();
});

test('the committed schema.graphql is what the code emits (run `npm run schema:emit` after a change)', async () => {
  expect(await readFile(GRAPHQL_SCHEMA_FILE, 'utf8')).toBe(await printAppSchema());
});

test('every type, field, argument and enum value has a description', () => {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || (isScalarType(type) && isSpecifiedScalarType(type))) continue;
    if (!type.description) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (!field.description) missing.push(`${type.name}.${field.name}`);
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
  }
  expect(missing).toEqual([]);
});

test('the public contract of API.md is served unchanged', async () => {
  const contract = buildSchema(await readFile(path.join(__dirname, 'fixtures', 'contract.graphql'), 'utf8'));
  const problems: string[] = [];
  for (const expected of Object.values(contract.getTypeMap())) {
    if (expected.name.startsWith('__') || isSpecifiedScalarType(expected as never)) continue;
    const actual = schema.getType(expected.name);
    if (!actual) {
      problems.push(`missing type ${expected.name}`);
      continue;
    }
    if ((isObjectType(expected) || isInterfaceType(expected)) && (isObjectType(actual) || isInterfaceType(actual))) {
      const fields = actual.getFields();
      for (const field of Object.values(expected.getFields())) {
        const served = fields[field.name];
        if (!served) problems.push(`missing ${expected.name}.${field.name}`);
        else if (String(served.type) !== String(field.type))
          problems.push(`${expected.name}.${field.name}: ${served.type} instead of ${field.type}`);
        for (const arg of field.args) {
          const servedArg = served?.args.find((a) => a.name === arg.name);
          if (served && String(servedArg?.type) !== String(arg.type)) {
            problems.push(`${expected.name}.${field.name}(${arg.name}): ${servedArg?.type} instead of ${arg.type}`);
          }
        }
      }
      if (isObjectType(expected) && isObjectType(actual)) {
        for (const iface of expected.getInterfaces()) {
          if (!actual.getInterfaces().some((i) => i.name === iface.name)) problems.push(`${expected.name} must implement ${iface.name}`);
        }
      }
    }
    if (isInputObjectType(expected) && isInputObjectType(actual)) {
      const fields = actual.getFields();
      for (const field of Object.values(expected.getFields())) {
        if (String(fields[field.name]?.type) !== String(field.type)) problems.push(`${expected.name}.${field.name}`);
      }
    }
    if (isEnumType(expected) && isEnumType(actual)) {
      for (const value of expected.getValues()) if (!actual.getValue(value.name)) problems.push(`missing ${expected.name}.${value.name}`);
    }
  }
  expect(problems).toEqual([]);
});

test('every list of objects is bounded: a declared cap, or a `limit` argument (the cost model relies on it)', () => {
  const unbounded: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const listType = isNonNullType(field.type) ? field.type.ofType : field.type;
      if (!isListType(listType) || isLeafType(getNamedType(field.type))) continue;
      const connectionEdges = type.name.endsWith('Connection') && field.name === 'edges';
      const bounded = connectionEdges || field.args.some((a) => a.name === 'limit') || typeof field.extensions?.[MAX_ITEMS] === 'number';
      if (!bounded) unbounded.push(`${type.name}.${field.name}`);
    }
  }
  expect(unbounded).toEqual([]);
});

test('the channel cap covers every channel the migrations create', async () => {
  const db = await createTestDatabase();
  try {
    const channels = await db.prisma.channel.count();
    expect(channels).toBeGreaterThan(0);
    expect(channels).toBeLessThanOrEqual(MAX_CHANNELS);
  } finally {
    await db.drop();
  }
});
