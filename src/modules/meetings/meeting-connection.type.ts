import { ConnectionType } from '../../common/pagination';
import { Meeting } from './meeting.type';

export const MeetingConnection = ConnectionType('Meeting', Meeting, 'meeting');
