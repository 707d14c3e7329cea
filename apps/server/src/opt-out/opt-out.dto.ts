import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COMPANY_NAME_MAX_LENGTH } from '@munja/compliance';
import type { OptOutServiceStatus } from '@munja/compliance';
import { Transform } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ApplyOptOutServiceDto {
  @ApiProperty({
    example: '문자상사',
    maxLength: COMPANY_NAME_MAX_LENGTH,
    description: 'read out by the ARS',
  })
  // The length limit (in characters) is the state machine's: it answers COMPANY_NAME_TOO_LONG.
  @IsString()
  @MaxLength(200)
  companyName!: string;
}

export class CompleteOptOutServiceDto {
  @ApiProperty({ example: '080-123-4567', description: 'the issued 080 number' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  number080!: string;
}

export class BlockNumberDto {
  @ApiProperty({ example: '010-1234-5678', description: 'digits (separators allowed); stored digits only' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  number!: string;
}

export class ArsCallDto {
  @ApiProperty({ example: '01012345678', description: 'the caller number the ARS line received' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  callerNumber!: string;
}

const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

export class ListBlockedNumbersQuery {
  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(500)
  size?: number;

  @ApiPropertyOptional({ description: 'only this number (any separators)' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  number?: string;
}

export class OptOutServiceView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['PROCESSING', 'COMPLETE', 'STOPPED', 'CANCELED'] }) status!: OptOutServiceStatus;
  @ApiProperty() companyName!: string;
  @ApiProperty({ type: String, nullable: true, example: '0801234567' }) number080!: string | null;
  @ApiProperty() generation!: number;
  @ApiProperty() appliedAt!: string;
  @ApiProperty({ type: String, nullable: true }) completedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) stoppedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) canceledAt!: string | null;
}

export class BlockedNumberView {
  @ApiProperty({ example: '01012345678' }) number!: string;
  @ApiProperty({ enum: ['ARS', 'API'] }) source!: string;
  @ApiProperty() createdAt!: string;
}

export class BlockedNumberPage {
  @ApiProperty({ type: [BlockedNumberView] }) items!: BlockedNumberView[];
  @ApiProperty() page!: number;
  @ApiProperty() size!: number;
  @ApiProperty() total!: number;
}

export class ArsTokenView {
  @ApiProperty({ description: 'shown only in this answer; a new one replaces the old' }) token!: string;
  @ApiProperty({ example: '/v1/opt-out/ars/<token>/calls' }) path!: string;
}
