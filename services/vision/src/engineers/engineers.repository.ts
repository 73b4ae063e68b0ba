import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { EngineerEntity } from './engineer.entity';

@Injectable()
export class EngineersRepository {
  constructor(@InjectRepository(EngineerEntity) private readonly engineers: Repository<EngineerEntity>) {}

  getById(id: string): Promise<EngineerEntity | null> {
    return this.engineers.findOneBy({ id });
  }

  /**
   * Inserts or replaces the mirror only when `version` is newer than what is stored, in one
   * statement: a redelivered or out-of-order event changes nothing. True when it applied.
   */
  async applyIfNewer(engineer: EngineerEntity): Promise<boolean> {
    const rows: unknown[] = await this.engineers.query(
      `INSERT INTO vision.engineer (id, employee_number, name, active, version, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET employee_number = EXCLUDED.employee_number, name = EXCLUDED.name,
         active = EXCLUDED.active, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
       WHERE vision.engineer.version < EXCLUDED.version
       RETURNING id`,
      [engineer.id, engineer.employeeNumber, engineer.name, engineer.active, engineer.version, engineer.updatedAt],
    );
    return rows.length > 0;
  }
}
