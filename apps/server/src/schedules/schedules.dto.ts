import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  Allow,
  IsBoolean,
  IsDefined,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Max,
  Min,
} from 'class-validator';
import { WEEKDAYS, type Weekday } from '@munja/scheduling';

/** `weekdays`: a list of days, or the word EVERY_DAY. */
const WEEKDAYS_SCHEMA = {
  oneOf: [
    { type: 'array' as const, items: { type: 'string' as const, enum: [...WEEKDAYS] }, minItems: 1 },
    { type: 'string' as const, enum: ['EVERY_DAY'] },
  ],
  example: ['MON', 'WED'],
  description: 'MON…SUN, or the word EVERY_DAY',
};

/**
 * Presence and JSON types are checked here; the meaning (code characters, weekdays, `HH:mm`, the zone, the
 * period of at most six months) by @munja/scheduling's validateSchedule, with its own codes.
 */
export class CreateScheduleDto {
  @ApiProperty({
    example: 'monday-news',
    description: 'unique among the project’s live schedules; A-Z a-z 0-9 - _',
  })
  @IsString()
  code!: string;

  @ApiProperty(WEEKDAYS_SCHEMA)
  @IsDefined()
  weekdays!: Weekday[] | 'EVERY_DAY';

  @ApiProperty({ example: '09:00', description: 'HH:mm in timeZone' })
  @IsString()
  time!: string;

  @ApiPropertyOptional({ default: 'Asia/Seoul', description: 'an IANA time zone' })
  @IsOptional()
  @IsString()
  timeZone?: string;

  @ApiProperty({ example: '2026-03-02', description: 'first day, yyyy-MM-dd in timeZone' })
  @IsString()
  startDate!: string;

  @ApiProperty({
    example: '2026-08-31',
    description: 'last day (included), at most 6 months after startDate',
  })
  @IsString()
  endDate!: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  description?: string;

  @ApiPropertyOptional({ default: true, description: 'a disabled schedule records its occurrences as SKIP' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateScheduleDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  code?: string;

  @ApiPropertyOptional(WEEKDAYS_SCHEMA)
  @IsOptional()
  @Allow()
  weekdays?: Weekday[] | 'EVERY_DAY';

  @ApiPropertyOptional({ example: '09:00' })
  @IsOptional()
  @IsString()
  time?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  timeZone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  startDate?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  endDate?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  description?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class DeleteScheduleBody {
  @ApiPropertyOptional({ description: 'the schedule’s code again (or ?confirmCode=)' })
  @IsOptional()
  @IsString()
  confirmCode?: string;
}

const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

export const MAX_OCCURRENCES_PAGE = 200;

export class OccurrencesQuery {
  @ApiPropertyOptional({ default: 50, maximum: MAX_OCCURRENCES_PAGE })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_OCCURRENCES_PAGE)
  limit?: number;

  @ApiPropertyOptional({ description: 'ISO-8601: only occurrences before this instant (the next page)' })
  @IsOptional()
  @IsISO8601()
  before?: string;
}
