import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  ExtractAudio,
  ExtractAudioParams,
  ExtractAudioResult,
  Mux,
  MuxParams,
  MuxResult,
  StageResult,
  Synthesize,
  SynthesizeParams,
  SynthesizeResult,
  Transcribe,
  TranscribeParams,
  TranscribeResult,
  Translate,
  TranslateParams,
  TranslateResult,
} from '@fleet/contracts';
import { RpcHandler } from '@fleet/messaging';
import { StagesService } from './stages.service';

/**
 * The pipeline's RPC methods. No idempotency store is needed: a redelivered stage finds its
 * output in the stage cache (keyed by its inputs) when the first delivery got that far, and
 * otherwise simply does the work again.
 */
@Controller()
export class StagesRpcController {
  private readonly log = new Logger('Stage');

  constructor(private readonly stages: StagesService) {}

  @RpcHandler(ExtractAudio)
  extractAudio(@Payload() params: ExtractAudioParams): Promise<ExtractAudioResult> {
    return this.logged(ExtractAudio.name, params.job_id, () => this.stages.extractAudio(params));
  }

  @RpcHandler(Transcribe)
  transcribe(@Payload() params: TranscribeParams): Promise<TranscribeResult> {
    return this.logged(Transcribe.name, params.job_id, () => this.stages.transcribe(params));
  }

  @RpcHandler(Translate)
  translate(@Payload() params: TranslateParams): Promise<TranslateResult> {
    return this.logged(Translate.name, params.job_id, () => this.stages.translate(params));
  }

  @RpcHandler(Synthesize)
  synthesize(@Payload() params: SynthesizeParams): Promise<SynthesizeResult> {
    return this.logged(Synthesize.name, params.job_id, () => this.stages.synthesize(params));
  }

  @RpcHandler(Mux)
  mux(@Payload() params: MuxParams): Promise<MuxResult> {
    return this.logged(Mux.name, params.job_id, () => this.stages.mux(params));
  }

  private async logged<R extends StageResult>(method: string, jobId: string, run: () => Promise<R>): Promise<R> {
    this.log.log({ msg: `stage started: ${method}`, stage: method, job_id: jobId });
    const started = Date.now();
    try {
      const result = await run();
      this.log.log({ msg: `stage finished: ${method}`, stage: method, job_id: jobId, cached: result.cached, elapsed_ms: Date.now() - started });
      return result;
    } catch (error) {
      this.log.warn({ msg: `stage failed: ${method}: ${(error as Error).message}`, stage: method, job_id: jobId });
      throw error;
    }
  }
}
