import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';

/** Recipients one request may carry (as SENS). */
export const MAX_RECIPIENTS = 1000;

/*
 * Every class-validator constraint below is also declared in its @ApiProperty, so the served OpenAPI document
 * states it and the send route's compiled validator (send-body.pipe.ts), built from that document, enforces it.
 * send-body.pipe.spec.ts fails when the two disagree.
 */

/**
 * Generous character bounds that only keep absurd bodies out; the real limits are bytes and parts, which
 * @munja/rules checks against the route's limit profile (with its own codes).
 */
const MAX_TEXT_CHARS = 20_000;
const MAX_SUBJECT_CHARS = 1_000;

export class RecipientDto {
  @ApiProperty({
    example: '01012345678',
    description: 'the recipient; separators allowed',
    minLength: 1,
    maxLength: 40,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  to!: string;

  @ApiPropertyOptional({
    description: "this recipient's own subject (LMS/MMS)",
    maxLength: MAX_SUBJECT_CHARS,
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_SUBJECT_CHARS)
  subject?: string;

  @ApiPropertyOptional({ description: "this recipient's own content", maxLength: MAX_TEXT_CHARS })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT_CHARS)
  content?: string;
}

export class FileRefDto {
  @ApiProperty({ description: 'an id from POST /v1/files', format: 'uuid' })
  @IsUUID()
  fileId!: string;
}

/** The SENS v2 send body. */
export class SendMessageDto {
  @ApiPropertyOptional({
    enum: ['SMS', 'LMS', 'MMS'],
    description: 'absent: chosen per recipient from the content and files (SMS → LMS → MMS)',
  })
  @IsOptional()
  @IsIn(['SMS', 'LMS', 'MMS'])
  type?: 'SMS' | 'LMS' | 'MMS';

  @ApiPropertyOptional({ enum: ['COMM', 'AD'], default: 'COMM' })
  @IsOptional()
  @IsIn(['COMM', 'AD'])
  contentType?: 'COMM' | 'AD';

  @ApiPropertyOptional({
    default: '82',
    example: '82',
    description: 'the recipients’ country calling code',
    maxLength: 8,
  })
  @IsOptional()
  // SENS documents a string; a number is taken as its digits.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value))
  @IsString()
  @MaxLength(8)
  countryCode?: string;

  @ApiProperty({
    example: '0212345678',
    description: 'an APPROVED calling number of the project',
    minLength: 1,
    maxLength: 20,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  from!: string;

  @ApiPropertyOptional({ description: 'LMS/MMS subject', maxLength: MAX_SUBJECT_CHARS })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_SUBJECT_CHARS)
  subject?: string;

  @ApiProperty({ example: '안녕하세요', maxLength: MAX_TEXT_CHARS })
  @IsString()
  @MaxLength(MAX_TEXT_CHARS)
  content!: string;

  @ApiProperty({ type: [RecipientDto], minItems: 1, maxItems: MAX_RECIPIENTS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_RECIPIENTS, {
    message: `messages holds at most ${MAX_RECIPIENTS.toLocaleString('en')} recipients per request; for more, upload them as a CSV to POST /v1/messages/bulk (up to 100,000)`,
  })
  @ValidateNested({ each: true })
  @Type(() => RecipientDto)
  messages!: RecipientDto[];

  @ApiPropertyOptional({ type: [FileRefDto], description: 'MMS images (uploaded first)', maxItems: 10 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => FileRefDto)
  files?: FileRefDto[];

  @ApiPropertyOptional({
    example: '2026-03-05 14:30',
    description: 'yyyy-MM-dd HH:mm in reserveTimeZone',
    maxLength: 40,
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  reserveTime?: string;

  @ApiPropertyOptional({ default: 'Asia/Seoul', description: 'an IANA time zone', maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  reserveTimeZone?: string;

  @ApiPropertyOptional({
    example: 'monday-news',
    description: 'attach to this recurring schedule instead of sending: checked now, sent at each occurrence',
    minLength: 1,
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  scheduleCode?: string;
}
