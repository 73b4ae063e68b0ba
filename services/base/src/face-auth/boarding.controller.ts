import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, UploadedFiles, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileFieldsInterceptor, FilesInterceptor } from '@nestjs/platform-express';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { Role } from '@fleet/contracts';
import { RobotRateLimitGuard } from '../robots/robot-rate-limit.guard';
import { BoardingDto, BoardingResponse } from './boarding.dto';
import { BoardingService } from './boarding.service';
import { FACE_MAX_FILES, FACE_UPLOAD_LIMITS } from './face-auth.dto';

/** One-step boarding at the robot: ticket code, nonce and camera frames (`POST /base_api/robot/boarding`). */
@Controller('robot/boarding')
@Roles(Role.Robot)
@UseGuards(RobotRateLimitGuard)
export class RobotBoardingController {
  constructor(private readonly boarding: BoardingService) {}

  @Post()
  @HttpCode(200)
  @UseInterceptors(FileFieldsInterceptor([{ name: 'image', maxCount: 1 }, { name: 'frames', maxCount: FACE_MAX_FILES }], { limits: FACE_UPLOAD_LIMITS }))
  board(@CurrentUser() robot: AuthUser, @Body() dto: BoardingDto, @UploadedFiles() files: { image?: Express.Multer.File[]; frames?: Express.Multer.File[] } | undefined): Promise<BoardingResponse> {
    return this.boarding.board(robot, dto, [...(files?.image ?? []), ...(files?.frames ?? [])]);
  }
}

/** Passengers opt in to face boarding: operators enroll (and forget) the face for a ticket; decisions are audited. */
@Controller('admin')
@Roles(Role.Operator, Role.Admin)
export class BoardingAdminController {
  constructor(private readonly boarding: BoardingService) {}

  @Post('tickets/:id/face')
  @UseInterceptors(FilesInterceptor('images', FACE_MAX_FILES, { limits: FACE_UPLOAD_LIMITS }))
  enroll(@Param('id', ParseUUIDPipe) id: string, @UploadedFiles() images: Express.Multer.File[] | undefined) {
    return this.boarding.enrollPassenger(id, images);
  }

  @Delete('tickets/:id/face')
  forget(@Param('id', ParseUUIDPipe) id: string) {
    return this.boarding.forgetPassenger(id);
  }

  @Get('boarding-decisions/:id')
  audit(@Param('id', ParseUUIDPipe) id: string) {
    return this.boarding.audit(id);
  }
}
