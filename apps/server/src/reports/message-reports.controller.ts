import { Controller, Get, Param } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CurrentProject } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { uuidPipe } from '../common/uuid.pipe';
import { requestTimeRangeOf } from '../messages/message-id';

export class MessageReportView {
  @ApiProperty({ description: 'the plugin (vendor) that reported' }) pluginId!: string;
  @ApiProperty({ enum: ['SENT', 'DELIVERED', 'FAILED', 'EXPIRED'] }) status!: string;
  @ApiProperty({ type: String, nullable: true, description: "the vendor's result code" })
  vendorCode!: string | null;
  @ApiProperty({ type: String, nullable: true }) vendorMessage!: string | null;
  @ApiProperty({ type: String, nullable: true }) telco!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'when the vendor says it sent the message' })
  sentAt!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'when the vendor says the message was completed',
  })
  completedAt!: string | null;
  @ApiProperty({ description: 'when the vendor made the report' }) reportedAt!: string;
  @ApiProperty({ description: 'when the service received it' }) receivedAt!: string;
  @ApiProperty({ enum: ['webhook', 'polling'] }) source!: string;
}

export class MessageReportList {
  @ApiProperty({ type: [MessageReportView] }) items!: MessageReportView[];
}

interface ReportRow {
  plugin_id: string;
  status: string;
  vendor_code: string | null;
  vendor_message: string | null;
  telco: string | null;
  sent_at: Date | null;
  completed_at: Date | null;
  reported_at: Date;
  received_at: Date;
  source: string;
}

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

/**
 * The delivery reports matched to one message, in the order they arrived: the data of its report timeline
 * (the message itself keeps only the final outcome). Kept as long as the retention keeps delivery reports.
 */
@ApiTags('messages')
@Controller('v1/messages')
export class MessageReportsController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get(':messageId/reports')
  @ApiOperation({
    summary: "One message's delivery reports, oldest first (404 for another project's message)",
  })
  @ApiOkResponse({ type: MessageReportList })
  async reports(
    @CurrentProject() projectId: string,
    @Param('messageId', uuidPipe('messageId')) messageId: string,
  ): Promise<MessageReportList> {
    // A UUIDv7 id names its request time, so the check reads the one day partition it is in.
    const range = requestTimeRangeOf(messageId);
    const owned = (await this.db.query(
      `SELECT 1 FROM messages WHERE project_id = $1 AND id = $2${
        range ? ' AND request_time >= $3 AND request_time < $4' : ''
      } LIMIT 1`,
      range ? [projectId, messageId, range.from, range.to] : [projectId, messageId],
    )) as unknown[];
    if (owned.length === 0) throw ApiError.notFound('Message', 'messageId');
    const rows = (await this.db.query(
      `SELECT plugin_id, status, vendor_code, vendor_message, telco, sent_at, completed_at, reported_at, received_at,
              source
         FROM delivery_reports WHERE message_id = $1 ORDER BY received_at, id`,
      [messageId],
    )) as ReportRow[];
    return {
      items: rows.map((row) => ({
        pluginId: row.plugin_id,
        status: row.status,
        vendorCode: row.vendor_code,
        vendorMessage: row.vendor_message,
        telco: row.telco,
        sentAt: iso(row.sent_at),
        completedAt: iso(row.completed_at),
        reportedAt: row.reported_at.toISOString(),
        receivedAt: row.received_at.toISOString(),
        source: row.source,
      })),
    };
  }
}
