import { ApiProperty } from '@nestjs/swagger';

export class FileView {
  @ApiProperty() fileId!: string;
  @ApiProperty({ example: 'coupon.jpg' }) name!: string;
  @ApiProperty({ example: 'image/jpeg' }) contentType!: string;
  @ApiProperty() size!: number;
  @ApiProperty() width!: number;
  @ApiProperty() height!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ description: 'after this the file can no longer be attached' }) expiresAt!: string;
}
