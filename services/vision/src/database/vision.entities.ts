import { ToolEntity } from '../catalogue/tool.entity';
import { ToolkitEntity, ToolkitItemEntity } from '../catalogue/toolkit.entity';
import { EngineerEntity } from '../engineers/engineer.entity';
import { TransactionEntity } from '../transactions/transaction.entity';

/** Every entity of the vision schema, listed explicitly. */
export const VISION_ENTITIES: Function[] = [ToolEntity, ToolkitEntity, ToolkitItemEntity, EngineerEntity, TransactionEntity];
