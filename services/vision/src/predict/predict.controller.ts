import { Body, Controller, HttpCode, Post, UploadedFile, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FileInterceptor, FilesInterceptor } from '@nestjs/platform-express';
import { Roles } from '@fleet/auth';
import { Role } from '@fleet/contracts';
import { ApiMultipart, CONFIDENCE_FIELD, TOOLKIT_FIELD } from './api-multipart';
import { PredictFieldsDto } from './predict.dto';
import { PredictView } from './predict.view';
import { PredictService, UploadedArchive, UploadedImage } from './predict.service';
import { uploadOptions } from './upload-options';

/** Robots photograph kits; operators check photos by hand. */
@Controller('predict')
@Roles(Role.Robot, Role.Operator)
export class PredictController {
  constructor(private readonly predictions: PredictService) {}

  @Post()
  @HttpCode(200)
  @ApiMultipart({ image: { description: 'One photo (JPEG, PNG or WebP)' } }, { toolkit_id: TOOLKIT_FIELD, confidence: CONFIDENCE_FIELD })
  @UseInterceptors(FileInterceptor('image', uploadOptions('image')))
  predict(@UploadedFile() image: UploadedImage | undefined, @Body() fields: PredictFieldsDto): Promise<PredictView> {
    return this.predictions.predictOne(image, fields);
  }

  @Post('batch')
  @HttpCode(200)
  @ApiMultipart({ images: { description: 'Several photos, each a view of the whole kit', many: true } }, { toolkit_id: TOOLKIT_FIELD, confidence: CONFIDENCE_FIELD })
  @UseInterceptors(FilesInterceptor('images', undefined, uploadOptions('images')))
  batch(@UploadedFiles() images: UploadedImage[] | undefined, @Body() fields: PredictFieldsDto): Promise<PredictView> {
    return this.predictions.predictBatch(images, fields);
  }

  @Post('zip')
  @HttpCode(200)
  @ApiMultipart({ zip_file: { description: 'A ZIP archive of photos' } }, { toolkit_id: TOOLKIT_FIELD, confidence: CONFIDENCE_FIELD })
  @UseInterceptors(FileInterceptor('zip_file', uploadOptions('zip')))
  zip(@UploadedFile() archive: UploadedArchive | undefined, @Body() fields: PredictFieldsDto): Promise<PredictView> {
    return this.predictions.predictZip(archive, fields);
  }
}
