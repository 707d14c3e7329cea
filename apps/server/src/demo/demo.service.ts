import { Inject, Injectable, Logger } from '@nestjs/common';
import { deriveApiKey } from '../auth/api-key-secret';
import { OPERATOR_KEY } from '../auth/operator-key';
import { CallingNumbersService } from '../calling-numbers/calling-numbers.service';
import { OptOutService080 } from '../opt-out/opt-out.service';
import { ProjectsService } from '../projects/projects.service';

export const DEMO_PROJECT_ID = '00000000-0000-4000-8000-00000000d3e0';

export const DEMO_CALLING_NUMBER = '0212345678';
export const DEMO_080_NUMBER = '0801234567';

export interface DemoProject {
  projectId: string;
  apiKey: string;
  callingNumber: string;
  optOutNumber: string;
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
    private readonly callingNumbers: CallingNumbersService,
    private readonly optOut: OptOutService080,
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
    await this.ensureApprovedCallingNumber();
    await this.ensureCompleteOptOutService();
    return {
      projectId: DEMO_PROJECT_ID,
      apiKey,
      callingNumber: DEMO_CALLING_NUMBER,
      optOutNumber: DEMO_080_NUMBER,
    };
  }

  private async ensureApprovedCallingNumber(): Promise<void> {
    const held = (await this.callingNumbers.list(DEMO_PROJECT_ID)).filter(
      (row) => row.number === DEMO_CALLING_NUMBER && row.status !== 'REJECTED',
    );
    if (held.some((row) => row.status === 'APPROVED')) return;
    const row =
      held[0] ??
      (await this.callingNumbers.register(DEMO_PROJECT_ID, {
        number: DEMO_CALLING_NUMBER,
        method: 'DOCUMENT',
      }));
    await this.callingNumbers.approve(DEMO_PROJECT_ID, row.id);
  }

  private async ensureCompleteOptOutService(): Promise<void> {
    const service = await this.optOut.latest(DEMO_PROJECT_ID);
    if (service?.status === 'COMPLETE') return;
    if (service?.status !== 'PROCESSING') await this.optOut.apply(DEMO_PROJECT_ID, 'Munja Demo');
    await this.optOut.complete(DEMO_PROJECT_ID, DEMO_080_NUMBER);
  }
}
