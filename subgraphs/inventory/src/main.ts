import { runService } from '@orderflow/runtime';
import { inventoryService } from './service';

runService(inventoryService, 4001);
