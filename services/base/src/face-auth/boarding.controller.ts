import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UploadedFiles, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileFieldsInterceptor, FilesInterceptor } from '@nestjs/platform-express';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { Page, Role } from '@fleet/contracts';
import { ApiPage } from '@fleet/openapi';
import { RobotRateLimitGuard } from '../robots/robot-rate-limit.guard';
import { BoardingDecisionListQueryDto, BoardingDto } from './boarding.dto';
import { BoardingService } from './boarding.service';
import { BoardingDecisionAuditView, BoardingDecisionListItemView, BoardingResultView, PassengerEnrollmentView, PassengerForgottenView } from './boarding.view';
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
  board(@CurrentUser() robot: AuthUser, @Body() dto: BoardingDto, @UploadedFiles() files: { image?: Express.Multer.File[]; frames?: Express.Multer.File[] } | undefined): Promise<BoardingResultView> {
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
  enroll(@Param('id', ParseUUIDPipe) id: string, @UploadedFiles() images: Express.Multer.File[] | undefined): Promise<PassengerEnrollmentView> {
    return this.boarding.enrollPassenger(id, images);
  }

  @Delete('tickets/:id/face')
  forget(@Param('id', ParseUUIDPipe) id: string): Promise<PassengerForgottenView> {
    return this.boarding.forgetPassenger(id);
  }

  @Get('boarding-decisions')
  @ApiPage(BoardingDecisionListItemView, 'Newest first; every signature is checked again by the service.')
  list(@Query() query: BoardingDecisionListQueryDto): Promise<Page<BoardingDecisionListItemView>> {
    const { limit, offset, ...filter } = query;
    return this.boarding.list(filter, { limit, offset });
  }

  @Get('boarding-decisions/:id')
  audit(@Param('id', ParseUUIDPipe) id: string): Promise<BoardingDecisionAuditView> {
    return this.boarding.audit(id);
  }
}
