import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { BulkAnswer, RejectedRow } from './bulk-send.service';
import type { RequestProgress } from './progress.service';

/** The documented shapes of the bulk routes' answers (each `implements` the answer it documents). */

@ApiSchema({ name: 'RejectedRow' })
export class RejectedRowSchema implements RejectedRow {
  @ApiProperty({ description: 'the physical line of the CSV the row starts on', example: 3 }) line!: number;
  @ApiProperty({ example: '010-12' }) to!: string;
  @ApiProperty({ example: 'INVALID_PHONE_NUMBER' }) code!: string;
  @ApiProperty({ example: 'to' }) field!: string;
  @ApiProperty() message!: string;
}

@ApiSchema({ name: 'BulkAnswer' })
export class BulkAnswerSchema implements BulkAnswer {
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty({ format: 'date-time' }) requestTime!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) reservationId!: string | null;
  @ApiProperty({ format: 'date-time' }) sendTime!: string;
  @ApiProperty({ description: 'an AD send moved out of the night window to 08:00' }) deferred!: boolean;
  @ApiProperty({ description: 'recipients stored to be sent' }) accepted!: number;
  @ApiProperty({ description: 'rows refused (by the rules or the law, or unreadable)' }) rejected!: number;
  @ApiProperty({ type: [RejectedRowSchema], description: 'the first 1,000 refused rows, in file order' })
  rejectedRows!: RejectedRowSchema[];
  @ApiProperty({ description: 'true when more rows were refused than listed' })
  rejectedRowsTruncated!: boolean;
}

@ApiSchema({ name: 'RequestProgress' })
export class RequestProgressSchema implements RequestProgress {
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty({ description: 'messages stored for the request' }) total!: number;
  @ApiProperty({ description: 'total less rejected' }) accepted!: number;
  @ApiProperty({ description: 'refused by the rules or BLOCKED by the 080 list' }) rejected!: number;
  @ApiProperty({ description: 'waiting for their reservation' }) reserved!: number;
  @ApiProperty({ description: 'due, waiting for a dispatcher' }) queued!: number;
  @ApiProperty({ description: "claimed by a dispatcher, at the vendor's door" }) sending!: number;
  @ApiProperty({ description: 'accepted by the vendor, awaiting the delivery report' }) sent!: number;
  @ApiProperty() delivered!: number;
  @ApiProperty({ description: 'failed at the vendor or by report, or expired without a report' })
  failed!: number;
  @ApiProperty() canceled!: number;
  @ApiProperty({ description: 'nothing left reserved, queued, sending or awaiting its report' })
  done!: boolean;
}
