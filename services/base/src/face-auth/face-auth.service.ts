import { BadRequestException, ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AuthUser } from '@fleet/auth';
import { CheckLiveness, EnrollFace, ForgetFace, IdentifyFace, LivenessResult, Page, RpcErrorCode } from '@fleet/contracts';
import { PageRequest, toPage } from '@fleet/database';
import { requestContext } from '@fleet/logging';
import { RpcClient, RpcError } from '@fleet/messaging';
import { EngineersService } from '../engineers/engineers.service';
import { engineerPersonId, mapFaceLogin } from './face-auth.dto';
import { FaceEnrollmentView, FaceForgetView, FaceLoginAttemptView, FaceLoginView } from './face-auth.view';
import { FaceLoginAttempt, FaceLoginsRepository } from './face-logins.repository';

/** Deadlines of the face calls: enrollment embeds several photos; a login one frame. */
const ENROLL_DEADLINE_MS = 30_000;
const LOGIN_DEADLINE_MS = 10_000;
const ENGINEER_PREFIX = 'engineer:';

/** Engineers' faces: enrollment by operators, login at the robot; every login attempt is recorded. */
@Injectable()
export class FaceAuthService {
  private readonly logger = new Logger(FaceAuthService.name);

  constructor(
    private readonly rpc: RpcClient,
    private readonly engineers: EngineersService,
    private readonly logins: FaceLoginsRepository,
  ) {}

  async enrollEngineer(engineerId: string, photos: Express.Multer.File[] | undefined): Promise<FaceEnrollmentView> {
    if (!photos?.length) throw new BadRequestException('Send one or more photos in the multipart field "images"');
    const engineer = await this.engineers.get(engineerId);
    if (!engineer.active) throw new ConflictException(`Engineer ${engineerId} is deactivated`);
    const result = await this.rpc.call(EnrollFace, { personId: engineerPersonId(engineerId), images: photos.map((file) => file.buffer) }, { deadlineMs: ENROLL_DEADLINE_MS });
    this.logger.log(`Engineer ${engineerId}: ${result.templates.length} face template(s) enrolled, ${result.totalTemplates} in all`);
    return { engineer_id: engineerId, templates_added: result.templates.length, total_templates: result.totalTemplates, model_version: result.modelVersion };
  }

  async forgetEngineer(engineerId: string): Promise<FaceForgetView> {
    await this.engineers.get(engineerId);
    const result = await this.rpc.call(ForgetFace, { personId: engineerPersonId(engineerId) }, { deadlineMs: LOGIN_DEADLINE_MS });
    this.logger.log(`Engineer ${engineerId}: face templates forgotten (${result.templatesRemoved})`);
    return { engineer_id: engineerId, templates_removed: result.templatesRemoved };
  }

  /** Identifies the engineer in the first frame; with several frames, also asks for (experimental) liveness. */
  async login(robot: AuthUser, frames: Express.Multer.File[]): Promise<FaceLoginView> {
    if (frames.length === 0) throw new BadRequestException('Send a photo in the multipart field "image", or several in "frames"');
    const attempt: FaceLoginAttempt = { robotId: robot.sub, outcome: 'error', engineerId: null, similarity: null, threshold: null, frames: frames.length, liveness: null, detail: null, requestId: requestContext.requestId() ?? null };
    try {
      const response = await this.identify(frames, attempt);
      response.attempt_id = await this.logins.record(attempt);
      return response;
    } catch (error) {
      if (error instanceof RpcError) {
        attempt.outcome = error.code === RpcErrorCode.InvalidParams ? 'rejected_image' : 'error';
        attempt.detail = error.message.slice(0, 500);
        await this.logins.record(attempt);
      }
      throw error;
    }
  }

  private async identify(frames: Express.Multer.File[], attempt: FaceLoginAttempt): Promise<FaceLoginView> {
    const [identified, liveness] = await Promise.all([
      this.rpc.call(IdentifyFace, { image: frames[0].buffer, topK: 1 }, { deadlineMs: LOGIN_DEADLINE_MS }),
      frames.length > 1 ? this.rpc.call(CheckLiveness, { frames: frames.map((file) => file.buffer) }, { deadlineMs: LOGIN_DEADLINE_MS }) : Promise.resolve(undefined),
    ]);
    const best = identified.candidates[0];
    attempt.similarity = best?.similarity ?? null;
    attempt.threshold = identified.threshold;
    attempt.liveness = liveness ? { live: liveness.live, liveScore: liveness.liveScore, frameVariation: liveness.frameVariation } : null;
    const matched = identified.match?.personId.startsWith(ENGINEER_PREFIX) ? identified.match.personId.slice(ENGINEER_PREFIX.length) : null;
    let engineer: FaceLoginView['engineer'] = null;
    if (matched) {
      // A template whose engineer base does not know (any more) is no login.
      engineer = await this.engineers.robotView(matched).catch((error: unknown) => {
        if (error instanceof NotFoundException) return null;
        throw error;
      });
      if (engineer) attempt.engineerId = matched;
    }
    attempt.outcome = !engineer ? 'not_recognised' : engineer.active ? 'recognised' : 'inactive';
    return {
      attempt_id: '',
      recognised: attempt.outcome === 'recognised',
      engineer: attempt.outcome === 'recognised' ? engineer : null,
      similarity: attempt.similarity,
      threshold: identified.threshold,
      ...(liveness ? { liveness: livenessView(liveness) } : {}),
    };
  }

  async recentLogins(page: PageRequest, robotId?: string): Promise<Page<FaceLoginAttemptView>> {
    const { rows, total } = await this.logins.latest(page, robotId);
    return toPage(rows.map(mapFaceLogin), total, page);
  }
}

function livenessView(result: LivenessResult): NonNullable<FaceLoginView['liveness']> {
  return { experimental: true, live: result.live, live_score: result.liveScore, frame_variation: result.frameVariation };
}
