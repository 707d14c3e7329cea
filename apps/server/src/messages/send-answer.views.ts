import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import type { ScheduleAttachAnswer } from '../schedules/template-attach';
import type { SendAnswer } from './messages.service';
import type { DryRunView, PlannedRecipientView, RefusedRecipientView } from './plan-view';
import type { RejectedView } from './send-plan';

/** The documented shapes of POST /v1/messages' answers (each `implements` the answer it documents). */

@ApiSchema({ name: 'RejectedRecipient' })
export class RejectedRecipientSchema implements RejectedView {
  @ApiProperty({ description: 'the position in `messages`', example: 2 }) index!: number;
  @ApiProperty({ example: '0101234' }) to!: string;
  @ApiProperty({ example: 'INVALID_PHONE_NUMBER' }) code!: string;
  @ApiProperty({ example: 'messages.2.to' }) field!: string;
  @ApiProperty() message!: string;
}

@ApiSchema({ name: 'SendAnswer' })
export class SendAnswerSchema implements SendAnswer {
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty({ format: 'date-time' }) requestTime!: string;
  @ApiProperty({ enum: ['202'] }) statusCode!: '202';
  @ApiProperty({
    enum: ['success', 'reserved'],
    description: '`reserved` when the send waits for its reservation',
  })
  statusName!: 'success' | 'reserved';
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) reservationId!: string | null;
  @ApiProperty({ format: 'date-time', description: 'when the messages go' }) sendTime!: string;
  @ApiProperty({ description: 'an AD send moved out of the night window to 08:00' }) deferred!: boolean;
  @ApiProperty({ description: 'recipients stored to be sent' }) accepted!: number;
  @ApiProperty({
    type: [RejectedRecipientSchema],
    description: 'recipients refused by the rules or the 080 list (stored as failed messages)',
  })
  rejected!: RejectedRecipientSchema[];
}

@ApiSchema({ name: 'ScheduleAttachAnswer' })
export class ScheduleAttachAnswerSchema implements ScheduleAttachAnswer {
  @ApiProperty({ enum: ['202'] }) statusCode!: '202';
  @ApiProperty({ enum: ['scheduled'] }) statusName!: 'scheduled';
  @ApiProperty({ example: 'monday-news' }) scheduleCode!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null on a dry run' })
  templateId!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextSendTime!: string | null;
  @ApiProperty() accepted!: number;
  @ApiProperty({ type: [RejectedRecipientSchema] }) rejected!: RejectedRecipientSchema[];
}

@ApiSchema({ name: 'ReservationPlan' })
export class ReservationPlanSchema {
  @ApiProperty({ format: 'date-time' }) sendTime!: string;
  @ApiProperty({ example: 'Asia/Seoul' }) zone!: string;
  @ApiProperty({ example: '2026-03-05 14:30' }) local!: string;
  @ApiProperty({ description: 'how a wall time in a DST gap or overlap was resolved' }) adjustment!: string;
}

@ApiSchema({ name: 'ReviewSummary' })
export class ReviewSummarySchema {
  @ApiProperty() total!: number;
  @ApiProperty() planned!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty() blocked!: number;
}

@ApiSchema({ name: 'PlannedRecipient' })
export class PlannedRecipientSchema implements PlannedRecipientView {
  @ApiProperty() index!: number;
  @ApiProperty() to!: string;
  @ApiProperty({ enum: ['PLANNED'] }) outcome!: 'PLANNED';
  @ApiProperty({ enum: ['SMS', 'LMS', 'MMS', 'INTL'] }) type!: PlannedRecipientView['type'];
  @ApiProperty() number!: string;
  @ApiProperty({ example: '+821012345678' }) e164!: string;
  @ApiProperty() countryCode!: string;
  @ApiProperty({ type: String, nullable: true }) from!: string | null;
  @ApiProperty({ type: String, nullable: true }) subject!: string | null;
  @ApiProperty({ description: 'the final text, labels and signatures included' }) content!: string;
  @ApiPropertyOptional() bytes?: number;
  @ApiPropertyOptional() subjectBytes?: number;
  @ApiPropertyOptional() reason?: string;
  @ApiPropertyOptional({ type: [String] }) labels?: PlannedRecipientView['labels'];
  @ApiPropertyOptional({ enum: ['GSM7', 'UCS2'] }) encoding?: string;
  @ApiPropertyOptional() parts?: number;
  @ApiPropertyOptional({ type: [String] }) segments?: readonly string[];
  @ApiPropertyOptional() signatureInserted?: boolean;
  @ApiProperty({ format: 'date-time' }) sendTime!: string;
  @ApiProperty({ type: [String], description: 'plugin ids: primary, then fallbacks' })
  route!: readonly string[];
}

@ApiSchema({ name: 'RefusedRecipient' })
export class RefusedRecipientSchema implements RefusedRecipientView {
  @ApiProperty() index!: number;
  @ApiProperty() to!: string;
  @ApiProperty({ enum: ['BLOCKED', 'REJECTED'] }) outcome!: 'BLOCKED' | 'REJECTED';
  @ApiProperty() code!: string;
  @ApiProperty() field!: string;
  @ApiProperty() message!: string;
}

@ApiSchema({ name: 'DryRun' })
@ApiExtraModels(PlannedRecipientSchema, RefusedRecipientSchema)
export class DryRunSchema implements DryRunView {
  @ApiProperty({ enum: [true] }) dryRun!: true;
  @ApiProperty({ format: 'date-time' }) requestTime!: string;
  @ApiProperty({ type: String, enum: ['COMM', 'AD'], nullable: true }) contentType!: string | null;
  @ApiProperty({ type: String, nullable: true }) countryCode!: string | null;
  @ApiProperty({ type: String, nullable: true }) from!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sendTime!: string | null;
  @ApiProperty() deferred!: boolean;
  @ApiProperty({ type: ReservationPlanSchema, nullable: true }) reservation!: ReservationPlanSchema | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'the compliance policy applied (nightWindow, adLabel, …)',
  })
  policy!: DryRunView['policy'];
  @ApiProperty({ type: ReviewSummarySchema }) summary!: ReviewSummarySchema;
  @ApiProperty({
    type: 'array',
    items: {
      oneOf: [
        { $ref: getSchemaPath(PlannedRecipientSchema) },
        { $ref: getSchemaPath(RefusedRecipientSchema) },
      ],
    },
  })
  recipients!: (PlannedRecipientSchema | RefusedRecipientSchema)[];
}
