import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FileRow } from './file.entity';
import { FilesController } from './files.controller';
import { DEFAULT_MMS_UPLOAD_PROFILE, FilesService, MMS_UPLOAD_PROFILE } from './files.service';

@Module({
  imports: [TypeOrmModule.forFeature([FileRow])],
  controllers: [FilesController],
  providers: [FilesService, { provide: MMS_UPLOAD_PROFILE, useValue: DEFAULT_MMS_UPLOAD_PROFILE }],
  exports: [FilesService],
})
export class FilesModule {}
