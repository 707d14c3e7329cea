import { Controller, Get, Param, Post, Req } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors';
import type { FastifyRequest } from 'fastify';
import { CurrentProject } from '../auth/principal';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiError } from '../common/api-error';
import { MULTIPART_ROUTE } from '../common/http-edge';
import { unstorableCharacter } from '../common/storable-text';
import { uuidPipe } from '../common/uuid.pipe';
import { FileView } from './files.dto';
import { fileView, FilesService } from './files.service';

@ApiTags('files')
@Controller('v1/files')
export class FilesController {
  constructor(private readonly service: FilesService) {}

  @Post()
  @RouteConfig(MULTIPART_ROUTE)
  @ApiOperation({
    summary: 'Upload an MMS image (multipart/form-data, field `file`)',
    description:
      'Checked against the SENS profile: JPEG (by content), ≤ 300 KB, ≤ 1500 × 1440 px, name ≤ 40 characters ' +
      'ending in .jpg/.jpeg. Answers the fileId to put in `files[]` of a send, and when it expires.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: FileView })
  @ApiErrors({
    400: [
      'MULTIPART_REQUIRED',
      'REQUIRED',
      'FILE_TOO_LARGE',
      'FILE_EMPTY',
      'FILE_NAME_EMPTY',
      'FILE_NAME_TOO_LONG',
      'INVALID_FILE_EXTENSION',
      'INVALID_FILE_TYPE',
      'IMAGE_TOO_LARGE',
    ],
    415: ['UNSUPPORTED_MEDIA_TYPE'],
  })
  async upload(@CurrentProject() projectId: string, @Req() request: FastifyRequest): Promise<FileView> {
    if (!request.isMultipart()) {
      throw ApiError.badRequest('MULTIPART_REQUIRED', 'Send the image as multipart/form-data', 'file');
    }
    const part = await request.file();
    if (!part || part.fieldname !== 'file') {
      throw ApiError.badRequest('REQUIRED', 'The multipart field `file` is required', 'file');
    }
    const unstorable = unstorableCharacter(part.filename);
    if (unstorable) {
      await part.toBuffer().catch(() => undefined);
      throw ApiError.badRequest(
        'INVALID_CHARACTER',
        `The file name contains ${unstorable}; rename the file`,
        'file',
      );
    }
    let bytes: Buffer;
    try {
      bytes = await part.toBuffer();
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
        throw ApiError.badRequest(
          'FILE_TOO_LARGE',
          'The file is far larger than any MMS image may be',
          'file',
        );
      }
      throw error;
    }
    return fileView(await this.service.upload(projectId, { name: part.filename, bytes }));
  }

  @Get(':fileId')
  @ApiOperation({ summary: "An uploaded file's details" })
  @ApiOkResponse({ type: FileView })
  async get(
    @CurrentProject() projectId: string,
    @Param('fileId', uuidPipe('fileId')) fileId: string,
  ): Promise<FileView> {
    return fileView(await this.service.get(projectId, fileId));
  }
}
