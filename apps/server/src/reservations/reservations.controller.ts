import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentProject } from '../auth/principal';
import { uuidPipe } from '../common/uuid.pipe';
import { ListReservationsQuery, ReservationPage, ReservationView } from './reservations.dto';
import { ReservationsService } from './reservations.service';

@ApiTags('reservations')
@ApiBearerAuth()
@Controller('v1/reservations')
export class ReservationsController {
  constructor(private readonly service: ReservationsService) {}

  @Get()
  @ApiOperation({
    summary: 'Reservations by send time range and status, newest send time first (cursor pages)',
  })
  async list(
    @CurrentProject() projectId: string,
    @Query() query: ListReservationsQuery,
  ): Promise<ReservationPage> {
    return this.service.list(projectId, query);
  }

  @Get(':reservationId')
  @ApiOperation({ summary: 'One reservation with its send' })
  async get(
    @CurrentProject() projectId: string,
    @Param('reservationId', uuidPipe('reservationId')) id: string,
  ): Promise<ReservationView> {
    return this.service.get(projectId, id);
  }

  @Post(':reservationId/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Cancel a READY reservation; its messages become CANCELED (409 RESERVATION_NOT_CANCELABLE otherwise)',
  })
  async cancel(
    @CurrentProject() projectId: string,
    @Param('reservationId', uuidPipe('reservationId')) id: string,
  ): Promise<ReservationView> {
    return this.service.cancel(projectId, id);
  }
}
