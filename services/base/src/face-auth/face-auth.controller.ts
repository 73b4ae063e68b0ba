import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UploadedFiles, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileFieldsInterceptor, FilesInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { Page, Role } from '@fleet/contracts';
import { ApiPage } from '@fleet/openapi';
import { RobotRateLimitGuard } from '../robots/robot-rate-limit.guard';
import { FACE_MAX_FILES, FACE_UPLOAD_LIMITS, FaceLoginListQueryDto } from './face-auth.dto';
import { FaceAuthService } from './face-auth.service';
import { FaceEnrollmentView, FaceForgetView, FaceLoginAttemptView, FaceLoginView } from './face-auth.view';

/** A multipart body of photo fields (each may repeat), for the OpenAPI document. */
function photoFields(fields: Record<string, string>, required: string[] = []) {
  const properties = Object.fromEntries(Object.entries(fields).map(([name, description]) => [name, { type: 'array', items: { type: 'string', format: 'binary' }, description }]));
  return { type: 'object', required, properties };
}

/** Operators enroll and forget engineers' faces (`/base_api/admin/engineers/:id/face`). Photos stay in memory, never on disk. */
@Controller('admin/engineers')
@Roles(Role.Operator, Role.Admin)
export class EngineerFaceAdminController {
  constructor(private readonly faces: FaceAuthService) {}

  @Post(':id/face')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: photoFields({ images: `1-${FACE_MAX_FILES} photos of the engineer's face, one face each` }, ['images']) })
  @UseInterceptors(FilesInterceptor('images', FACE_MAX_FILES, { limits: FACE_UPLOAD_LIMITS }))
  enroll(@Param('id', ParseUUIDPipe) id: string, @UploadedFiles() images: Express.Multer.File[] | undefined): Promise<FaceEnrollmentView> {
    return this.faces.enrollEngineer(id, images);
  }

  @Delete(':id/face')
  forget(@Param('id', ParseUUIDPipe) id: string): Promise<FaceForgetView> {
    return this.faces.forgetEngineer(id);
  }
}

/** Operators review face login attempts (`/base_api/admin/face-logins`), newest first. */
@Controller('admin/face-logins')
@Roles(Role.Operator, Role.Admin)
export class FaceLoginsAdminController {
  constructor(private readonly faces: FaceAuthService) {}

  @Get()
  @ApiPage(FaceLoginAttemptView)
  list(@Query() query: FaceLoginListQueryDto): Promise<Page<FaceLoginAttemptView>> {
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
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: photoFields({ image: 'One camera frame', frames: `Or 2-${FACE_MAX_FILES} consecutive frames (adds the experimental liveness check)` }) })
  @UseInterceptors(FileFieldsInterceptor([{ name: 'image', maxCount: 1 }, { name: 'frames', maxCount: FACE_MAX_FILES }], { limits: FACE_UPLOAD_LIMITS }))
  login(@CurrentUser() robot: AuthUser, @UploadedFiles() files: { image?: Express.Multer.File[]; frames?: Express.Multer.File[] } | undefined): Promise<FaceLoginView> {
    return this.faces.login(robot, [...(files?.image ?? []), ...(files?.frames ?? [])]);
  }
}
