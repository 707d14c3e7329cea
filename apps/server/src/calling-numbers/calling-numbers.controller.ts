import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors';
import { CurrentProject, OperatorOnly } from '../auth/principal';
import { uuidPipe } from '../common/uuid.pipe';
import {
  CallingNumberList,
  CallingNumberView,
  ListCallingNumbersQuery,
  RegisterCallingNumberDto,
  RejectCallingNumberDto,
} from './calling-numbers.dto';
import { callingNumberView, CallingNumbersService } from './calling-numbers.service';

@ApiTags('calling numbers')
@Controller('v1')
export class CallingNumbersController {
  constructor(private readonly service: CallingNumbersService) {}

  @Post('calling-numbers')
  @ApiOperation({
    summary: 'Register a calling number (status READY until the operator decides)',
    description:
      'At most MUNJA_MAX_CALLING_NUMBERS (default 10) per project, REJECTED ones not counted: ' +
      '422 CALLING_NUMBER_LIMIT_REACHED; an already registered number: 409 CALLING_NUMBER_DUPLICATE.',
  })
  @ApiCreatedResponse({ type: CallingNumberView })
  @ApiErrors({
    400: ['INVALID_CALLING_NUMBER', 'INVALID_VERIFICATION_METHOD'],
    409: ['CALLING_NUMBER_DUPLICATE'],
    422: ['CALLING_NUMBER_LIMIT_REACHED'],
  })
  async register(
    @CurrentProject() projectId: string,
    @Body() body: RegisterCallingNumberDto,
  ): Promise<CallingNumberView> {
    return callingNumberView(await this.service.register(projectId, body));
  }

  @Get('calling-numbers')
  @ApiOperation({ summary: "The project's calling numbers with their status" })
  @ApiOkResponse({ type: CallingNumberList })
  async list(
    @CurrentProject() projectId: string,
    @Query() query: ListCallingNumbersQuery,
  ): Promise<{ items: CallingNumberView[] }> {
    return { items: (await this.service.list(projectId, query.status)).map(callingNumberView) };
  }

  @Get('calling-numbers/:id')
  @ApiOperation({ summary: 'One calling number' })
  @ApiOkResponse({ type: CallingNumberView })
  async get(
    @CurrentProject() projectId: string,
    @Param('id', uuidPipe('id')) id: string,
  ): Promise<CallingNumberView> {
    return callingNumberView(await this.service.get(projectId, id));
  }

  @Get('projects/:projectId/calling-numbers')
  @OperatorOnly()
  @ApiOperation({ summary: "A project's calling numbers (operator)" })
  @ApiOkResponse({ type: CallingNumberList })
  async listForOperator(
    @Param('projectId', uuidPipe('projectId')) projectId: string,
    @Query() query: ListCallingNumbersQuery,
  ): Promise<{ items: CallingNumberView[] }> {
    return { items: (await this.service.list(projectId, query.status)).map(callingNumberView) };
  }

  @Post('projects/:projectId/calling-numbers/:id/approve')
  @OperatorOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a calling number (operator); 409 unless READY or IN-PROGRESS' })
  @ApiOkResponse({ type: CallingNumberView })
  @ApiErrors({ 409: ['CALLING_NUMBER_TRANSITION_REFUSED'] })
  async approve(
    @Param('projectId', uuidPipe('projectId')) projectId: string,
    @Param('id', uuidPipe('id')) id: string,
  ): Promise<CallingNumberView> {
    return callingNumberView(await this.service.approve(projectId, id));
  }

  @Post('projects/:projectId/calling-numbers/:id/reject')
  @OperatorOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a calling number (operator); 409 unless READY or IN-PROGRESS' })
  @ApiOkResponse({ type: CallingNumberView })
  @ApiErrors({ 409: ['CALLING_NUMBER_TRANSITION_REFUSED'] })
  async reject(
    @Param('projectId', uuidPipe('projectId')) projectId: string,
    @Param('id', uuidPipe('id')) id: string,
    @Body() body: RejectCallingNumberDto,
  ): Promise<CallingNumberView> {
    return callingNumberView(await this.service.reject(projectId, id, body.reason));
  }
}
