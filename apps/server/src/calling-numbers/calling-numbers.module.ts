import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallingNumberRow } from './calling-number.entity';
import { CallingNumbersController } from './calling-numbers.controller';
import { CallingNumbersService } from './calling-numbers.service';

@Module({
  imports: [TypeOrmModule.forFeature([CallingNumberRow])],
  controllers: [CallingNumbersController],
  providers: [CallingNumbersService],
  exports: [CallingNumbersService],
})
export class CallingNumbersModule {}
