import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentProject, OperatorOnly } from '../auth/principal';
import { uuidPipe } from '../common/uuid.pipe';
import {
  ApiKeyList,
  ApiKeyView,
  CreateApiKeyDto,
  CreatedApiKeyView,
  CreateProjectDto,
  ProjectList,
  ProjectView,
} from './projects.dto';
import { apiKeyView, projectView, ProjectsService } from './projects.service';

@ApiTags('projects')
@Controller('v1')
export class ProjectsController {
  constructor(private readonly service: ProjectsService) {}

  @Post('projects')
  @OperatorOnly()
  @ApiOperation({ summary: 'Create a project (operator)' })
  @ApiCreatedResponse({ type: ProjectView })
  async create(@Body() body: CreateProjectDto): Promise<ProjectView> {
    return projectView(await this.service.create(body.name));
  }

  @Get('projects')
  @OperatorOnly()
  @ApiOperation({ summary: 'List projects (operator)' })
  @ApiOkResponse({ type: ProjectList })
  async list(): Promise<{ items: ProjectView[] }> {
    return { items: (await this.service.list()).map(projectView) };
  }

  @Post('projects/:projectId/keys')
  @OperatorOnly()
  @ApiOperation({
    summary: 'Issue an API key for a project (operator); the key is shown only in this answer',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  async createKey(
    @Param('projectId', uuidPipe('projectId')) projectId: string,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyView> {
    return this.service.createKey(projectId, body.name ?? 'default');
  }

  @Get('projects/:projectId/keys')
  @OperatorOnly()
  @ApiOperation({ summary: "List a project's API keys (operator)" })
  @ApiOkResponse({ type: ApiKeyList })
  async listKeys(
    @Param('projectId', uuidPipe('projectId')) projectId: string,
  ): Promise<{ items: ApiKeyView[] }> {
    return { items: (await this.service.listKeys(projectId)).map(apiKeyView) };
  }

  @Delete('projects/:projectId/keys/:keyId')
  @OperatorOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API key (operator)' })
  @ApiOkResponse({ type: ApiKeyView })
  async revokeKey(
    @Param('projectId', uuidPipe('projectId')) projectId: string,
    @Param('keyId', uuidPipe('keyId')) keyId: string,
  ): Promise<ApiKeyView> {
    return apiKeyView(await this.service.revokeKey(projectId, keyId));
  }

  @Get('project')
  @ApiOperation({ summary: 'The project of the calling API key' })
  @ApiOkResponse({ type: ProjectView })
  async current(@CurrentProject() projectId: string): Promise<ProjectView> {
    return projectView(await this.service.get(projectId));
  }
}
