import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { BulkController } from './bulk.controller';
import { BulkSendService } from './bulk-send.service';
import { ProgressService } from './progress.service';

/** Bulk sends by CSV (planned by the send path's own rules) and the progress of any send request. */
@Module({
  imports: [MessagesModule],
  controllers: [BulkController],
  providers: [BulkSendService, ProgressService],
})
export class BulkModule {}
