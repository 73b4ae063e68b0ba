import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UploadedFiles, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileFieldsInterceptor, FilesInterceptor } from '@nestjs/platform-express';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { Page, Role } from '@fleet/contracts';
import { RobotRateLimitGuard } from '../robots/robot-rate-limit.guard';
import { EngineerFaceEnrollmentResponse, EngineerFaceForgetResponse, FACE_MAX_FILES, FACE_UPLOAD_LIMITS, FaceLoginAttemptResponse, FaceLoginListQueryDto, FaceLoginResponse } from './face-auth.dto';
import { FaceAuthService } from './face-auth.service';

/** Operators enroll and forget engineers' faces (`/base_api/admin/engineers/:id/face`). Photos stay in memory, never on disk. */
@Controller('admin/engineers')
@Roles(Role.Operator, Role.Admin)
export class EngineerFaceAdminController {
  constructor(private readonly faces: FaceAuthService) {}

  @Post(':id/face')
  @UseInterceptors(FilesInterceptor('images', FACE_MAX_FILES, { limits: FACE_UPLOAD_LIMITS }))
  enroll(@Param('id', ParseUUIDPipe) id: string, @UploadedFiles() images: Express.Multer.File[] | undefined): Promise<EngineerFaceEnrollmentResponse> {
    return this.faces.enrollEngineer(id, images);
  }

  @Delete(':id/face')
  forget(@Param('id', ParseUUIDPipe) id: string): Promise<EngineerFaceForgetResponse> {
    return this.faces.forgetEngineer(id);
  }
}

/** Operators review face login attempts (`/base_api/admin/face-logins`), newest first. */
@Controller('admin/face-logins')
@Roles(Role.Operator, Role.Admin)
export class FaceLoginsAdminController {
  constructor(private readonly faces: FaceAuthService) {}

  @Get()
  list(@Query() query: FaceLoginListQueryDto): Promise<Page<FaceLoginAttemptResponse>> {
    const { robot_id: robotId, ...page } = query;
    return this.faces.recentLogins(page, robotId);
  }
}

/** A robot identifies an engineer by face (`POST /base_api/robot/auth/face`, field `image` or `frames`). */
@Controller('robot/auth')
@Roles(Role.Robot)
@UseGuards(RobotRateLimitGuard)
export class RobotFaceLoginController {
  constructor(private readonly faces: FaceAuthService) {}

  @Post('face')
  @HttpCode(200)
  @UseInterceptors(FileFieldsInterceptor([{ name: 'image', maxCount: 1 }, { name: 'frames', maxCount: FACE_MAX_FILES }], { limits: FACE_UPLOAD_LIMITS }))
  login(@CurrentUser() robot: AuthUser, @UploadedFiles() files: { image?: Express.Multer.File[]; frames?: Express.Multer.File[] } | undefined): Promise<FaceLoginResponse> {
    return this.faces.login(robot, [...(files?.image ?? []), ...(files?.frames ?? [])]);
  }
}
