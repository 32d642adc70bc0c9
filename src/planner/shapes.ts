/**
 * Every feature's shapes, merged by type: a type's fields may come from several features (a field
 * that links two features lives with the feature that owns its data, e.g. Meeting.outcomes in
 * outcomes/). A field defined twice is a mistake, refused at start-up.
 */
import { channelShapes } from '../modules/channels/channel.shape';
import { curationShapes } from '../modules/curation/curation.shape';
import { meetingShapes } from '../modules/meetings/meeting.shape';
import { nodeShapes } from '../modules/node/node.shape';
import { organizationShapes } from '../modules/organizations/organization.shape';
import { outcomeShapes } from '../modules/outcomes/outcome.shape';
import { personShapes } from '../modules/people/person.shape';
import { searchShapes } from '../modules/search/search.shape';
import { statsShapes } from '../modules/stats/stats.shape';
import { sourceShapes } from '../modules/sources/source.shape';
import type { TypeShape } from './planner';

const ALL = [
  meetingShapes,
  channelShapes,
  outcomeShapes,
  personShapes,
  organizationShapes,
  sourceShapes,
  nodeShapes,
  searchShapes,
  statsShapes,
  curationShapes,
].flat();

export function shapesByType(shapes: TypeShape[] = ALL): Map<string, TypeShape> {
  const byType = new Map<string, TypeShape>();
  for (const shape of shapes) {
    const merged = byType.get(shape.type) ?? { type: shape.type, fields: {} };
    for (const [name, compile] of Object.entries(shape.fields)) {
      if (merged.fields[name]) throw new Error(`planner: ${shape.type}.${name} has two shapes`);
      merged.fields[name] = compile;
    }
    byType.set(shape.type, merged);
  }
  return byType;
}
