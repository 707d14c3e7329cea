import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { MessagesModule } from '../messages/messages.module';
import { ScheduleHistoryService } from './schedule-history.service';
import { ScheduleRunner } from './schedule-runner';
import { SchedulesController } from './schedules.controller';
import { SchedulesService } from './schedules.service';

/** Recurring schedules: the API, attached templates' history, and the runner that fires occurrences. */
@Module({
  imports: [ScheduleModule.forRoot(), MessagesModule],
  controllers: [SchedulesController],
  providers: [SchedulesService, ScheduleHistoryService, ScheduleRunner],
  exports: [ScheduleRunner],
})
export class SchedulesModule {}
