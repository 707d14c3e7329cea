import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RESERVATION_STATUSES, type ReservationStatus } from '@munja/scheduling';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

export class ListReservationsQuery {
  @ApiPropertyOptional({ description: 'send time from (ISO-8601, inclusive)' })
  @IsOptional()
  @IsISO8601()
  sendTimeFrom?: string;

  @ApiPropertyOptional({ description: 'send time to (ISO-8601, exclusive)' })
  @IsOptional()
  @IsISO8601()
  sendTimeTo?: string;

  @ApiPropertyOptional({ enum: RESERVATION_STATUSES })
  @IsOptional()
  @IsIn(RESERVATION_STATUSES)
  status?: ReservationStatus;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class ReservationRequestView {
  @ApiProperty({ type: String, nullable: true, enum: ['SMS', 'LMS', 'MMS'] }) type!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['COMM', 'AD'] }) contentType!: string | null;
  @ApiProperty({ type: String, nullable: true }) countryCode!: string | null;
  @ApiProperty({ type: String, nullable: true }) from!: string | null;
  @ApiProperty({ type: String, nullable: true }) subject!: string | null;
  @ApiProperty({ type: String, nullable: true }) content!: string | null;
  @ApiProperty({ description: 'recipients of the send' }) recipients!: number;
}

export class ReservationView {
  @ApiProperty() reservationId!: string;
  @ApiProperty() requestId!: string;
  @ApiProperty({ description: 'when it is due (ISO-8601)' }) sendTime!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the zone reserveTime was written in' })
  reserveTimeZone!: string | null;
  @ApiProperty({ enum: RESERVATION_STATUSES }) status!: ReservationStatus;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: String, nullable: true }) scheduleId!: string | null;
  @ApiProperty({
    type: ReservationRequestView,
    description: 'the send: type asked, content type, from, subject, content',
  })
  request!: ReservationRequestView;
}

export class ReservationPage {
  @ApiProperty({ type: [ReservationView] }) items!: ReservationView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
