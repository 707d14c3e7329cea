import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OptOutController } from './opt-out.controller';
import { BlockedNumberRow, OptOutServiceRow } from './opt-out.entities';
import { OptOutService080 } from './opt-out.service';

@Module({
  imports: [TypeOrmModule.forFeature([OptOutServiceRow, BlockedNumberRow])],
  controllers: [OptOutController],
  providers: [OptOutService080],
  exports: [OptOutService080],
})
export class OptOutModule {}
