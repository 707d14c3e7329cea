import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors';
import {
  OccurrenceViewSchema,
  ScheduleDeletedSchema,
  ScheduleViewSchema,
  TemplateViewSchema,
} from './schedules.views';
import { CurrentProject } from '../auth/principal';
import { ScheduleHistoryService, type OccurrenceView, type TemplateView } from './schedule-history.service';
import type { ScheduleView } from './schedule-row';
import { CreateScheduleDto, DeleteScheduleBody, OccurrencesQuery, UpdateScheduleDto } from './schedules.dto';
import { SchedulesService } from './schedules.service';

/** What @munja/scheduling's validateSchedule and the store refuse a created or updated schedule with. */
const SCHEDULE_REFUSALS = {
  400: [
    'INVALID_SCHEDULE_CODE',
    'INVALID_WEEKDAYS',
    'INVALID_TIME',
    'INVALID_TIME_ZONE',
    'INVALID_DATE',
    'INVALID_DESCRIPTION',
  ],
  409: ['SCHEDULE_CODE_TAKEN'],
  422: ['PERIOD_END_BEFORE_START', 'PERIOD_TOO_LONG', 'PERIOD_ALREADY_ENDED'],
} as const;

@ApiTags('schedules')
@Controller('v1/schedules')
export class SchedulesController {
  constructor(
    private readonly schedules: SchedulesService,
    private readonly history: ScheduleHistoryService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create a recurring schedule: weekdays, HH:mm in a time zone, a period of at most 6 months',
    description:
      'Messages are attached with POST /v1/messages and `scheduleCode`. 400 malformed (codes of ' +
      '@munja/scheduling), 409 SCHEDULE_CODE_TAKEN, 422 PERIOD_END_BEFORE_START / PERIOD_TOO_LONG / PERIOD_ALREADY_ENDED.',
  })
  @ApiCreatedResponse({ type: ScheduleViewSchema })
  @ApiErrors(SCHEDULE_REFUSALS)
  async create(@CurrentProject() projectId: string, @Body() body: CreateScheduleDto): Promise<ScheduleView> {
    return this.schedules.create(projectId, body);
  }

  @Get()
  @ApiOperation({ summary: 'The project’s live schedules, by code, with their next occurrences' })
  @ApiOkResponse({ type: [ScheduleViewSchema] })
  async list(@CurrentProject() projectId: string): Promise<ScheduleView[]> {
    return this.schedules.list(projectId);
  }

  @Get(':code')
  @ApiOperation({ summary: 'One schedule with its next occurrences and attached message counts' })
  @ApiOkResponse({ type: ScheduleViewSchema })
  @ApiErrors({ 404: ['SCHEDULE_NOT_FOUND'] })
  async get(@CurrentProject() projectId: string, @Param('code') code: string): Promise<ScheduleView> {
    return this.schedules.get(projectId, code);
  }

  @Patch(':code')
  @ApiOperation({
    summary: 'Update a schedule (any of its fields); the whole is validated again',
    description:
      'Occurrences before the update are not made up by the new shape: the runner continues from now.',
  })
  @ApiOkResponse({ type: ScheduleViewSchema })
  @ApiErrors({ ...SCHEDULE_REFUSALS, 404: ['SCHEDULE_NOT_FOUND'] })
  async update(
    @CurrentProject() projectId: string,
    @Param('code') code: string,
    @Body() body: UpdateScheduleDto,
  ): Promise<ScheduleView> {
    return this.schedules.update(projectId, code, body);
  }

  @Delete(':code')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Delete a schedule: the code again as `?confirmCode=` (or body `confirmCode`)',
    description:
      '400 REQUIRED without it, 422 DELETE_CONFIRMATION_MISMATCH when it differs. Its history stays.',
  })
  @ApiQuery({ name: 'confirmCode', required: false })
  @ApiOkResponse({ type: ScheduleDeletedSchema })
  @ApiErrors({ 400: ['REQUIRED'], 404: ['SCHEDULE_NOT_FOUND'], 422: ['DELETE_CONFIRMATION_MISMATCH'] })
  async delete(
    @CurrentProject() projectId: string,
    @Param('code') code: string,
    @Query('confirmCode') confirmCode: string | undefined,
    @Body() body: DeleteScheduleBody | undefined,
  ): Promise<{ code: string; deleted: true }> {
    await this.schedules.delete(projectId, code, confirmCode ?? body?.confirmCode);
    return { code, deleted: true };
  }

  @Get(':code/messages')
  @ApiOperation({ summary: 'The messages attached to a schedule (its templates), oldest first' })
  @ApiOkResponse({ type: [TemplateViewSchema] })
  @ApiErrors({ 404: ['SCHEDULE_NOT_FOUND'] })
  async templates(@CurrentProject() projectId: string, @Param('code') code: string): Promise<TemplateView[]> {
    return this.history.templates(projectId, code);
  }

  @Get(':code/occurrences')
  @ApiOperation({
    summary:
      'Per occurrence made: the reservation, its status (SKIP with a reason, STALE…) and its messages’ results',
  })
  @ApiOkResponse({ type: [OccurrenceViewSchema] })
  @ApiErrors({ 404: ['SCHEDULE_NOT_FOUND'] })
  async occurrences(
    @CurrentProject() projectId: string,
    @Param('code') code: string,
    @Query() query: OccurrencesQuery,
  ): Promise<OccurrenceView[]> {
    return this.history.occurrences(projectId, code, query);
  }
}
