import { Inject, Injectable, Logger } from '@nestjs/common';
import { deriveApiKey } from '../auth/api-key-secret';
import { OPERATOR_KEY } from '../auth/operator-key';
import { ProjectsService } from '../projects/projects.service';

export const DEMO_PROJECT_ID = '00000000-0000-4000-8000-00000000d3e0';

export interface DemoProject {
  projectId: string;
  apiKey: string;
}

/**
 * A ready demo project so a newcomer can send at once. Idempotent: every start finds or completes the same
 * project. Its key is derived from the operator key, so it stays the same across restarts without being
 * stored anywhere but as a hash.
 */
@Injectable()
export class DemoService {
  private readonly logger = new Logger('Demo');

  constructor(
    private readonly projects: ProjectsService,
    @Inject(OPERATOR_KEY) private readonly operatorKey: string,
  ) {}

  async seed(): Promise<DemoProject> {
    const apiKey = deriveApiKey(this.operatorKey, 'munja demo project api key');
    const existing = (await this.projects.list()).find((project) => project.id === DEMO_PROJECT_ID);
    if (!existing) {
      await this.projects.create('Demo project', DEMO_PROJECT_ID);
      this.logger.log('demo project created');
    }
    if (!(await this.projects.hasKey(apiKey))) await this.projects.createKey(DEMO_PROJECT_ID, 'demo', apiKey);
    return { projectId: DEMO_PROJECT_ID, apiKey };
  }
}
