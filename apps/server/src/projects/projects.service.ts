import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiKeyCache } from '../auth/api-key-cache';
import { generateApiKey, hashApiKey, keyDisplayPrefix } from '../auth/api-key-secret';
import { ApiError } from '../common/api-error';
import { CLOCK, Clock } from '../common/clock';
import { ApiKey } from './api-key.entity';
import { Project } from './project.entity';
import { ApiKeyView, CreatedApiKeyView, ProjectView } from './projects.dto';

export function projectView(project: Project): ProjectView {
  return { id: project.id, name: project.name, createdAt: project.createdAt.toISOString() };
}

export function apiKeyView(key: ApiKey): ApiKeyView {
  return {
    id: key.id,
    projectId: key.projectId,
    name: key.name,
    prefix: key.prefix,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

@Injectable()
export class ProjectsService {
  constructor(
    @InjectRepository(Project) private readonly projects: Repository<Project>,
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly keyCache: ApiKeyCache,
  ) {}

  async create(name: string, id?: string): Promise<Project> {
    return this.projects.save(
      this.projects.create({ ...(id ? { id } : {}), name, createdAt: this.clock.now() }),
    );
  }

  async list(): Promise<Project[]> {
    return this.projects.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async get(projectId: string): Promise<Project> {
    const project = await this.projects.findOne({ where: { id: projectId } });
    if (!project) throw ApiError.notFound('Project', 'projectId');
    return project;
  }

  /** Issues a key; `key` is given only for keys derived from a secret (the demo project's). */
  async createKey(
    projectId: string,
    name: string,
    key: string = generateApiKey(),
  ): Promise<CreatedApiKeyView> {
    await this.get(projectId);
    const saved = await this.keys.save(
      this.keys.create({
        projectId,
        name,
        prefix: keyDisplayPrefix(key),
        keyHash: hashApiKey(key),
        createdAt: this.clock.now(),
        revokedAt: null,
      }),
    );
    // A key tried before it existed is cached as unknown for a moment: this process forgets that at once.
    this.keyCache.created(saved.keyHash);
    return { ...apiKeyView(saved), key };
  }

  async hasKey(key: string): Promise<boolean> {
    return (await this.keys.count({ where: { keyHash: hashApiKey(key) } })) > 0;
  }

  async listKeys(projectId: string): Promise<ApiKey[]> {
    await this.get(projectId);
    return this.keys.find({ where: { projectId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async revokeKey(projectId: string, keyId: string): Promise<ApiKey> {
    const key = await this.keys.findOne({ where: { id: keyId, projectId } });
    if (!key) throw ApiError.notFound('API key', 'keyId');
    if (!key.revokedAt) {
      key.revokedAt = this.clock.now();
      await this.keys.save(key);
      this.keyCache.revoked();
    }
    return key;
  }
}
