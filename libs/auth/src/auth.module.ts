import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { FleetConfig } from '@fleet/config';
import { AuthGuard } from './auth.guard';
import { TokenVerifier } from './token-verifier';

@Module({})
export class AuthModule {
  static forRoot(auth: FleetConfig['auth']): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [{ provide: TokenVerifier, useValue: new TokenVerifier(auth) }, { provide: APP_GUARD, useClass: AuthGuard }],
      exports: [TokenVerifier],
    };
  }
}
