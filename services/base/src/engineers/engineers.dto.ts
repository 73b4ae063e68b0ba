import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsEmail, IsEnum, IsOptional, IsString, Length, Matches } from 'class-validator';
import { EngineerRole } from '@fleet/contracts';
import { PageQueryDto, ToBoolean } from '../paging/paging.dto';

const EMPLOYEE_NUMBER = /^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/;
const PHONE = /^\+?[0-9 ()-]{3,32}$/;

export class CreateEngineerDto {
  @IsString() @Matches(EMPLOYEE_NUMBER, { message: 'employee_number must be 1-32 letters, digits or "-"' })
  employee_number!: string;

  @IsString() @Length(1, 100)
  first_name!: string;

  @IsString() @Length(1, 100)
  last_name!: string;

  @IsOptional() @IsEmail()
  email?: string;

  @IsOptional() @Matches(PHONE, { message: 'phone must be digits, spaces, "+", "(", ")" or "-"' })
  phone?: string;

  @IsArray() @ArrayMaxSize(16) @ArrayUnique() @IsEnum(EngineerRole, { each: true })
  roles!: EngineerRole[];
}

export class UpdateEngineerDto {
  @IsOptional() @IsString() @Matches(EMPLOYEE_NUMBER, { message: 'employee_number must be 1-32 letters, digits or "-"' })
  employee_number?: string;

  @IsOptional() @IsString() @Length(1, 100)
  first_name?: string;

  @IsOptional() @IsString() @Length(1, 100)
  last_name?: string;

  /** null clears it. */
  @IsOptional() @IsEmail()
  email?: string | null;

  /** null clears it. */
  @IsOptional() @Matches(PHONE, { message: 'phone must be digits, spaces, "+", "(", ")" or "-"' })
  phone?: string | null;

  @IsOptional() @IsArray() @ArrayMaxSize(16) @ArrayUnique() @IsEnum(EngineerRole, { each: true })
  roles?: EngineerRole[];
}

export class EngineerListQueryDto extends PageQueryDto {
  @IsOptional() @IsEnum(EngineerRole)
  role?: EngineerRole;

  @IsOptional() @IsString() @Length(1, 100)
  name?: string;

  @IsOptional() @IsString() @Length(1, 32)
  employee_number?: string;

  @IsOptional() @ToBoolean() @IsBoolean()
  active?: boolean;
}
