import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallingNumbersModule } from '../calling-numbers/calling-numbers.module';
import { FileRow } from '../files/file.entity';
import { FilesModule } from '../files/files.module';
import { OptOutModule } from '../opt-out/opt-out.module';
import { MessageRow } from './message.entity';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';
import { ResultsService } from './results.service';
import { SendRequestRow } from './send-request.entity';

/** Send, dry run, idempotency, results and history. The PluginRegistry comes from the global PluginsModule. */
@Module({
  imports: [
    TypeOrmModule.forFeature([SendRequestRow, MessageRow, FileRow]),
    CallingNumbersModule,
    OptOutModule,
    FilesModule,
  ],
  controllers: [MessagesController],
  providers: [MessagesService, ResultsService],
  exports: [MessagesService, ResultsService, TypeOrmModule],
})
export class MessagesModule {}
