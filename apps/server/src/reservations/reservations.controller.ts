import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors';
import { CurrentProject } from '../auth/principal';
import { uuidPipe } from '../common/uuid.pipe';
import { ListReservationsQuery, ReservationPage, ReservationView } from './reservations.dto';
import { ReservationsService } from './reservations.service';

@ApiTags('reservations')
@Controller('v1/reservations')
export class ReservationsController {
  constructor(private readonly service: ReservationsService) {}

  @Get()
  @ApiOperation({
    summary: 'Reservations by send time range and status, newest send time first (cursor pages)',
  })
  @ApiOkResponse({ type: ReservationPage })
  @ApiErrors({ 400: ['INVALID_CURSOR', 'INVALID_ISO8601', 'INVALID_INT'] })
  async list(
    @CurrentProject() projectId: string,
    @Query() query: ListReservationsQuery,
  ): Promise<ReservationPage> {
    return this.service.list(projectId, query);
  }

  @Get(':reservationId')
  @ApiOperation({ summary: 'One reservation with its send' })
  @ApiOkResponse({ type: ReservationView })
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
  @ApiOkResponse({ type: ReservationView })
  @ApiErrors({ 409: ['RESERVATION_NOT_CANCELABLE'] })
  async cancel(
    @CurrentProject() projectId: string,
    @Param('reservationId', uuidPipe('reservationId')) id: string,
  ): Promise<ReservationView> {
    return this.service.cancel(projectId, id);
  }
}
