import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { STATUS_OF_STATE, type MessageState, type MessageStatus, type MessageType } from './message.entity';

const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

export const MAX_PAGE = 1000;

export class MessageHistoryQuery {
  @ApiPropertyOptional({ description: 'ISO-8601; default and earliest: 30 days ago' })
  @IsOptional()
  @IsISO8601()
  requestTimeFrom?: string;

  @ApiPropertyOptional({ description: 'ISO-8601, exclusive; default now' })
  @IsOptional()
  @IsISO8601()
  requestTimeTo?: string;

  @ApiPropertyOptional({ enum: ['SMS', 'LMS', 'MMS', 'INTL'] })
  @IsOptional()
  @IsIn(['SMS', 'LMS', 'MMS', 'INTL'])
  type?: MessageType;

  @ApiPropertyOptional({ enum: ['READY', 'PROCESSING', 'COMPLETED'] })
  @IsOptional()
  @IsIn(['READY', 'PROCESSING', 'COMPLETED'])
  status?: MessageStatus;

  @ApiPropertyOptional({ description: 'the calling number (separators allowed)' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  from?: string;

  @ApiPropertyOptional({ description: 'the recipient (separators allowed)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: MAX_PAGE })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class RequestMessagesQuery {
  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: MAX_PAGE })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  size?: number;
}

export class MessageFileView {
  @ApiProperty() fileId!: string;
  @ApiProperty() name!: string;
}

/** One message as SENS's result view shows it, plus type, parts and complete time. */
export class MessageView {
  @ApiProperty() messageId!: string;
  @ApiProperty() requestId!: string;
  @ApiProperty({ description: 'ISO-8601' }) requestTime!: string;
  @ApiProperty({ enum: ['SMS', 'LMS', 'MMS', 'INTL'] }) type!: MessageType;
  @ApiProperty({ enum: ['COMM', 'AD'] }) contentType!: string;
  @ApiProperty() countryCode!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: String, nullable: true }) subject!: string | null;
  @ApiProperty({ description: 'the text as sent, labels included' }) content!: string;
  @ApiProperty({ enum: ['READY', 'PROCESSING', 'COMPLETED'] }) status!: MessageStatus;
  @ApiProperty({
    enum: Object.keys(STATUS_OF_STATE),
    description: 'why it is where it is: the state behind `status`',
  })
  state!: MessageState;
  @ApiProperty({ type: String, nullable: true, enum: ['success', 'fail'] }) statusName!: string | null;
  @ApiProperty({ type: String, nullable: true }) statusCode!: string | null;
  @ApiProperty({ type: String, nullable: true }) statusMessage!: string | null;
  @ApiProperty({ type: String, nullable: true }) telcoCode!: string | null;
  @ApiProperty({ type: String, nullable: true }) completeTime!: string | null;
  @ApiProperty({ description: 'when it is (or was) due to go' }) sendTime!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'CP949 bytes of the content (domestic)' })
  bytes!: number | null;
  @ApiProperty({ description: 'parts billed: 1 for domestic, the segments for INTL' }) parts!: number;
  @ApiProperty({ type: String, nullable: true, enum: ['GSM7', 'UCS2'] }) encoding!: string | null;
  @ApiProperty({ type: String, nullable: true }) reservationId!: string | null;
  @ApiProperty({ type: [MessageFileView] }) files!: MessageFileView[];
}

export class MessagePage {
  @ApiProperty({ type: [MessageView] }) items!: MessageView[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as `cursor` for the next page; null at the end',
  })
  nextCursor!: string | null;
}

export class SendRequestView {
  @ApiProperty() requestId!: string;
  @ApiProperty() requestTime!: string;
  @ApiProperty({ example: '202' }) statusCode!: string;
  @ApiProperty({ enum: ['success', 'reserved'] }) statusName!: string;
  @ApiProperty({ type: String, nullable: true }) type!: string | null;
  @ApiProperty() contentType!: string;
  @ApiProperty() countryCode!: string;
  @ApiProperty() from!: string;
  @ApiProperty({ type: String, nullable: true }) subject!: string | null;
  @ApiProperty() content!: string;
  @ApiProperty({ type: String, nullable: true }) reservationId!: string | null;
  @ApiProperty({ type: String, nullable: true }) reserveTime!: string | null;
  @ApiProperty({ type: String, nullable: true }) reserveTimeZone!: string | null;
  @ApiProperty({ description: 'recipients accepted for sending' }) acceptedCount!: number;
  @ApiProperty({ description: 'recipients refused (stored as failed messages)' }) rejectedCount!: number;
  @ApiProperty({ type: [MessageView] }) messages!: MessageView[];
  @ApiProperty() page!: number;
  @ApiProperty() size!: number;
  @ApiProperty() total!: number;
}
