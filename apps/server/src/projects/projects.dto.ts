import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateProjectDto {
  @ApiProperty({ example: 'Shop notifications', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;
}

export class CreateApiKeyDto {
  @ApiPropertyOptional({ example: 'production', maxLength: 100 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name?: string;
}

export class ProjectView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() createdAt!: string;
}

export class ApiKeyView {
  @ApiProperty() id!: string;
  @ApiProperty() projectId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'the first characters of the key, to tell keys apart' }) prefix!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) revokedAt!: string | null;
}

export class CreatedApiKeyView extends ApiKeyView {
  @ApiProperty({ description: 'the key itself; shown only once, only its hash is stored' }) key!: string;
}

export class ProjectList {
  @ApiProperty({ type: [ProjectView] }) items!: ProjectView[];
}

export class ApiKeyList {
  @ApiProperty({ type: [ApiKeyView] }) items!: ApiKeyView[];
}
