import { runService } from '@orderflow/runtime';
import { shippingService } from './service';

runService(shippingService, 4004);
