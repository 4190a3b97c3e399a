import { runService } from '@orderflow/runtime';
import { orderService } from './service';

runService(orderService, 4002);
