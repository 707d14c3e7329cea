import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { WEEKDAYS, type Weekday } from '@munja/scheduling';
import { SendMessageDto } from '../messages/send-message.dto';
import type {
  MessageCounts,
  OccurrenceRequestView,
  OccurrenceView,
  TemplateView,
} from './schedule-history.service';
import type { ScheduleView, UpcomingOccurrence } from './schedule-row';

/** The documented shapes of the schedule routes' answers (each `implements` the answer it documents). */

@ApiSchema({ name: 'UpcomingOccurrence' })
export class UpcomingOccurrenceSchema implements UpcomingOccurrence {
  @ApiProperty({ format: 'date-time' }) sendTime!: string;
  @ApiProperty({ example: '2026-03-02 09:00', description: 'the wall time in the schedule’s zone' })
  local!: string;
}

@ApiSchema({ name: 'ScheduleView' })
export class ScheduleViewSchema implements ScheduleView {
  @ApiProperty({ format: 'uuid' }) scheduleId!: string;
  @ApiProperty({ example: 'monday-news' }) code!: string;
  @ApiProperty({ enum: WEEKDAYS, isArray: true, example: ['MON', 'WED'] }) weekdays!: Weekday[];
  @ApiProperty({ example: '09:00' }) time!: string;
  @ApiProperty({ example: 'Asia/Seoul' }) timeZone!: string;
  @ApiProperty({ example: '2026-03-02' }) startDate!: string;
  @ApiProperty({ example: '2026-08-31' }) endDate!: string;
  @ApiProperty() description!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'null once the period is over',
  })
  nextSendTime!: string | null;
  @ApiProperty({ type: [UpcomingOccurrenceSchema] }) upcoming!: UpcomingOccurrenceSchema[];
  @ApiProperty({ description: 'messages attached' }) templates!: number;
  @ApiProperty({ description: 'recipients over the attached messages' }) recipients!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

@ApiSchema({ name: 'ScheduleTemplate' })
export class TemplateViewSchema implements TemplateView {
  @ApiProperty({ format: 'uuid' }) templateId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() recipients!: number;
  @ApiProperty({ type: SendMessageDto, description: 'the send body as attached (without scheduleCode)' })
  message!: TemplateView['message'];
}

@ApiSchema({ name: 'OccurrenceRefusal' })
export class OccurrenceRefusalSchema {
  @ApiProperty({ example: 'AD_NIGHT_WINDOW' }) code!: string;
  @ApiProperty() message!: string;
}

@ApiSchema({ name: 'OccurrenceRequest' })
export class OccurrenceRequestSchema implements OccurrenceRequestView {
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) templateId!: string | null;
  @ApiProperty() accepted!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty({ type: OccurrenceRefusalSchema, nullable: true, description: 'the whole template refused' })
  refused!: OccurrenceRefusalSchema | null;
}

@ApiSchema({ name: 'MessageCounts' })
export class MessageCountsSchema implements MessageCounts {
  @ApiProperty() total!: number;
  @ApiProperty() ready!: number;
  @ApiProperty() processing!: number;
  @ApiProperty() completed!: number;
  @ApiProperty() success!: number;
  @ApiProperty() fail!: number;
}

@ApiSchema({ name: 'Occurrence' })
export class OccurrenceViewSchema implements OccurrenceView {
  @ApiProperty() occurrenceKey!: string;
  @ApiProperty({ format: 'date-time' }) sendTime!: string;
  @ApiProperty({ format: 'uuid' }) reservationId!: string;
  @ApiProperty({ enum: ['READY', 'PROCESSING', 'DONE', 'FAIL', 'CANCELED', 'STALE', 'SKIP'] })
  status!: string;
  @ApiProperty({ type: String, nullable: true }) skipReason!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: MessageCountsSchema }) messages!: MessageCountsSchema;
  @ApiProperty({ type: [OccurrenceRequestSchema] }) requests!: OccurrenceRequestSchema[];
}

@ApiSchema({ name: 'ScheduleDeleted' })
export class ScheduleDeletedSchema {
  @ApiProperty() code!: string;
  @ApiProperty({ enum: [true] }) deleted!: true;
}
