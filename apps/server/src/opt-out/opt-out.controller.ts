import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors';
import type { FastifyReply } from 'fastify';
import { CurrentProject, OperatorOnly, Public } from '../auth/principal';
import { uuidPipe } from '../common/uuid.pipe';
import {
  ApplyOptOutServiceDto,
  ArsCallDto,
  ArsTokenView,
  BlockedNumberPage,
  BlockedNumberView,
  BlockNumberDto,
  CompleteOptOutServiceDto,
  ListBlockedNumbersQuery,
  OptOutServiceView,
} from './opt-out.dto';
import { blockedNumberView, OptOutService080, optOutServiceView } from './opt-out.service';

@ApiTags('080 opt-out')
@Controller('v1')
export class OptOutController {
  constructor(private readonly service: OptOutService080) {}

  @Post('opt-out/service')
  @ApiOperation({
    summary: 'Apply for the 080 opt-out service (PROCESSING until the operator completes it)',
    description:
      'companyName: 1–20 characters. 409 OPT_OUT_SERVICE_ALREADY_ACTIVE while one is PROCESSING/COMPLETE.',
  })
  @ApiCreatedResponse({ type: OptOutServiceView })
  @ApiErrors({
    400: ['COMPANY_NAME_EMPTY', 'COMPANY_NAME_TOO_LONG'],
    409: ['OPT_OUT_SERVICE_ALREADY_ACTIVE'],
  })
  async apply(
    @CurrentProject() projectId: string,
    @Body() body: ApplyOptOutServiceDto,
  ): Promise<OptOutServiceView> {
    return optOutServiceView(await this.service.apply(projectId, body.companyName));
  }

  @Get('opt-out/service')
  @ApiOperation({ summary: "The project's latest 080 opt-out service" })
  @ApiOkResponse({ type: OptOutServiceView })
  @ApiErrors({ 404: ['NOT_FOUND'] })
  async current(@CurrentProject() projectId: string): Promise<OptOutServiceView> {
    return optOutServiceView(await this.service.current(projectId));
  }

  @Post('opt-out/service/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an application still PROCESSING (409 otherwise)' })
  @ApiOkResponse({ type: OptOutServiceView })
  @ApiErrors({ 404: ['NOT_FOUND'], 409: ['OPT_OUT_SERVICE_TRANSITION_REFUSED'] })
  async cancel(@CurrentProject() projectId: string): Promise<OptOutServiceView> {
    return optOutServiceView(await this.service.cancel(projectId));
  }

  @Post('opt-out/service/stop')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop a COMPLETE service; its block list is erased (409 otherwise)' })
  @ApiOkResponse({ type: OptOutServiceView })
  @ApiErrors({ 404: ['NOT_FOUND'], 409: ['OPT_OUT_SERVICE_TRANSITION_REFUSED'] })
  async stop(@CurrentProject() projectId: string): Promise<OptOutServiceView> {
    return optOutServiceView(await this.service.stop(projectId));
  }

  @Post('opt-out/service/ars-token')
  @ApiOperation({
    summary: 'Issue the secret of the ARS stand-in endpoint (replaces the previous one; needs COMPLETE)',
  })
  @ApiCreatedResponse({ type: ArsTokenView })
  @ApiErrors({ 404: ['NOT_FOUND'], 409: ['OPT_OUT_SERVICE_TRANSITION_REFUSED', 'BLOCK_LIST_NOT_EDITABLE'] })
  async arsToken(@CurrentProject() projectId: string): Promise<ArsTokenView> {
    const token = await this.service.issueArsToken(projectId);
    return { token, path: `/v1/opt-out/ars/${token}/calls` };
  }

  @Get('projects/:projectId/opt-out/service')
  @OperatorOnly()
  @ApiOperation({ summary: "A project's latest 080 opt-out service (operator)" })
  @ApiOkResponse({ type: OptOutServiceView })
  async currentForOperator(
    @Param('projectId', uuidPipe('projectId')) projectId: string,
  ): Promise<OptOutServiceView> {
    return optOutServiceView(await this.service.current(projectId));
  }

  @Post('projects/:projectId/opt-out/service/complete')
  @OperatorOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete a PROCESSING service with its issued 080 number (operator)' })
  @ApiOkResponse({ type: OptOutServiceView })
  @ApiErrors({ 400: ['INVALID_080_NUMBER'], 409: ['OPT_OUT_SERVICE_TRANSITION_REFUSED'] })
  async complete(
    @Param('projectId', uuidPipe('projectId')) projectId: string,
    @Body() body: CompleteOptOutServiceDto,
  ): Promise<OptOutServiceView> {
    return optOutServiceView(await this.service.complete(projectId, body.number080));
  }

  @Get('opt-out/blocklist')
  @ApiOperation({ summary: 'The block list, newest first, paginated (page, size ≤ 500)' })
  @ApiOkResponse({ type: BlockedNumberPage })
  async list(
    @CurrentProject() projectId: string,
    @Query() query: ListBlockedNumbersQuery,
  ): Promise<BlockedNumberPage> {
    const page = query.page ?? 1;
    const size = query.size ?? 50;
    const found = await this.service.listBlocked(projectId, {
      page,
      size,
      ...(query.number ? { number: query.number } : {}),
    });
    return { items: found.items.map(blockedNumberView), page, size, total: found.total };
  }

  @Post('opt-out/blocklist')
  @ApiOperation({ summary: 'Add a number (201 added, 200 already there); needs a COMPLETE service' })
  @ApiCreatedResponse({ type: BlockedNumberView, description: 'added' })
  @ApiOkResponse({ type: BlockedNumberView, description: 'already on the list' })
  @ApiErrors({ 400: ['INVALID_BLOCKED_NUMBER'], 409: ['BLOCK_LIST_NOT_EDITABLE'] })
  async block(
    @CurrentProject() projectId: string,
    @Body() body: BlockNumberDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BlockedNumberView> {
    const { row, created } = await this.service.block(projectId, body.number, 'API');
    void reply.status(created ? 201 : 200);
    return blockedNumberView(row);
  }

  @Delete('opt-out/blocklist/:number')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a number (404 when it is not listed)' })
  @ApiNoContentResponse({ description: 'removed' })
  @ApiErrors({ 400: ['INVALID_BLOCKED_NUMBER'], 409: ['BLOCK_LIST_NOT_EDITABLE'] })
  async unblock(@CurrentProject() projectId: string, @Param('number') number: string): Promise<void> {
    await this.service.unblock(projectId, number);
  }

  @Post('opt-out/ars/:token/calls')
  @Public()
  @ApiOperation({
    summary: 'Stand-in for the 080 ARS line: a caller asked to stop ads',
    description:
      'Authenticated by the secret in the path (POST /v1/opt-out/service/ars-token issues it), not by an API key, ' +
      "as a telco system calls it. Adds callerNumber to that project's block list (source ARS).",
  })
  @ApiCreatedResponse({ type: BlockedNumberView })
  @ApiErrors({ 400: ['INVALID_BLOCKED_NUMBER'], 409: ['BLOCK_LIST_NOT_EDITABLE'] })
  async arsCall(@Param('token') token: string, @Body() body: ArsCallDto): Promise<BlockedNumberView> {
    return blockedNumberView(await this.service.blockFromArs(token, body.callerNumber));
  }
}
