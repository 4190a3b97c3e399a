import '@orderflow/auth/dist/node-version';
import { runService } from '@orderflow/runtime';
import { orderService } from './service';

runService(orderService, 4002);
