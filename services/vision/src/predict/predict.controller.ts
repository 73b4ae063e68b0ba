import { Body, Controller, HttpCode, Post, UploadedFile, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FileInterceptor, FilesInterceptor } from '@nestjs/platform-express';
import { Roles } from '@fleet/auth';
import { Role } from '@fleet/contracts';
import { PredictFieldsDto, PredictResponse } from './predict.dto';
import { PredictService, UploadedImage } from './predict.service';
import { uploadOptions } from './upload-options';

/** Robots photograph kits; operators check photos by hand. */
@Controller('predict')
@Roles(Role.Robot, Role.Operator)
export class PredictController {
  constructor(private readonly predictions: PredictService) {}

  @Post()
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('image', uploadOptions('image')))
  predict(@UploadedFile() image: UploadedImage | undefined, @Body() fields: PredictFieldsDto): Promise<PredictResponse> {
    return this.predictions.predictOne(image, fields);
  }

  @Post('batch')
  @HttpCode(200)
  @UseInterceptors(FilesInterceptor('images', undefined, uploadOptions('images')))
  batch(@UploadedFiles() images: UploadedImage[] | undefined, @Body() fields: PredictFieldsDto): Promise<PredictResponse> {
    return this.predictions.predictBatch(images, fields);
  }

  @Post('zip')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('zip_file', uploadOptions('zip')))
  zip(@UploadedFile() archive: UploadedImage | undefined, @Body() fields: PredictFieldsDto): Promise<PredictResponse> {
    return this.predictions.predictZip(archive, fields);
  }
}
