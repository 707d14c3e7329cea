import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CALLING_NUMBER_TRANSITIONS, VERIFICATION_METHODS } from '@munja/compliance';
import type { CallingNumberStatus, VerificationMethod } from '@munja/compliance';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

const STATUSES = Object.keys(CALLING_NUMBER_TRANSITIONS) as CallingNumberStatus[];

export class RegisterCallingNumberDto {
  @ApiProperty({ example: '02-1234-5678', description: 'a Korean number; separators are allowed' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  number!: string;

  @ApiProperty({ enum: VERIFICATION_METHODS, description: 'SMS self-verification or a document check' })
  @IsIn(VERIFICATION_METHODS)
  method!: VerificationMethod;
}

export class ListCallingNumbersQuery {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: CallingNumberStatus;
}

export class RejectCallingNumberDto {
  @ApiPropertyOptional({ example: 'the document does not show the number', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;
}

export class CallingNumberView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '0212345678' }) number!: string;
  @ApiProperty({ enum: VERIFICATION_METHODS }) method!: VerificationMethod;
  @ApiProperty({ enum: STATUSES }) status!: CallingNumberStatus;
  @ApiProperty({ type: String, nullable: true }) rejectReason!: string | null;
  @ApiProperty() requestedAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CallingNumberList {
  @ApiProperty({ type: [CallingNumberView] }) items!: CallingNumberView[];
}
