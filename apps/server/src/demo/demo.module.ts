import { Module } from '@nestjs/common';
import { CallingNumbersModule } from '../calling-numbers/calling-numbers.module';
import { OptOutModule } from '../opt-out/opt-out.module';
import { ProjectsModule } from '../projects/projects.module';
import { DemoService } from './demo.service';

@Module({
  imports: [ProjectsModule, CallingNumbersModule, OptOutModule],
  providers: [DemoService],
  exports: [DemoService],
})
export class DemoModule {}
