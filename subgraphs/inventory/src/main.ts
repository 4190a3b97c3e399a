import '@orderflow/auth/dist/node-version';
import { runService } from '@orderflow/runtime';
import { inventoryService } from './service';

runService(inventoryService, 4001);
